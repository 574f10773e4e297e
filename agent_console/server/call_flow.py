"""What a call does, whoever reports it (a PBX over CTI, the console, the demo's
simulator): it rings at agents, one answers, it ends; each step is told to every agent
it rang at, on the event stream (the contract is /work/notes/CALL_CONTRACT.md).

A step repeated (a PBX retrying an event) changes nothing and tells nobody again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from agent_console.server.clock import now_iso
from agent_console.server.event_bus import EventBus, for_agent
from agent_console.server.storage import Storage
from agent_console.text import mask_phone

log = logging.getLogger("agent_console.server.call_flow")

INCOMING_CALL = "incoming_call"
CALL_ANSWERED = "call_answered"
CALL_ENDED = "call_ended"
CAUSES = frozenset(
    {"normalClearing", "busy", "cancel", "noAnswer", "congestion", "notFound", "forwarded"}
)
_LOOK_UP = object()  # ring(): find the caller by the number


def ring(
    storage: Storage,
    bus: EventBus,
    number: str,
    agent_ids: Sequence[str],
    *,
    caller_id: Any = _LOOK_UP,
    call_ref: str = "",
    direction: str = "in",
    queue: str = "",
    source: str = "cti",
) -> tuple[dict[str, Any], bool]:
    """A new call ringing at `agent_ids`; (call, True), or (the call already there
    with this `call_ref`, False) with nobody told twice."""
    if caller_id is _LOOK_UP:
        caller_id = storage.caller_id_for_number(number)
    agents = [a for a in (storage.get_agent(i) for i in dict.fromkeys(agent_ids)) if a]
    data = {
        "number": number,
        "caller_id": caller_id,
        "call_ref": call_ref,
        "direction": direction,
        "queue": queue,
        "source": source,
        "hotline": agents[0]["hotline"] if agents else "",
    }
    call, created = storage.open_call(data, [a["id"] for a in agents])
    if created:
        for agent in agents:
            tell_ringing(storage, bus, call, agent)
        bus.changed([str(a["id"]) for a in agents], ["queue"])
    return call, created


def tell_ringing(
    storage: Storage, bus: EventBus, call: dict[str, Any], agent: dict[str, Any]
) -> None:
    """`incoming_call` to one agent: the screen-pop (the card or the new-caller form)."""
    caller_id = call["caller_id"]
    bus.publish(
        INCOMING_CALL,
        {
            "call_id": call["id"],
            "number": call["number"],
            "number_masked": mask_phone(call["number"]),
            "caller_id": caller_id,
            "hotline": agent.get("hotline", ""),
            "at": call["started_at"],
            "call_ref": call["call_ref"],
            "direction": call["direction"],
            "queue": call["queue"],
            "caller_name": storage.caller_name(caller_id) if caller_id is not None else None,
        },
        for_agent(str(agent["id"])),
    )


def answer(
    storage: Storage, bus: EventBus, call: dict[str, Any], agent_id: str
) -> tuple[str, dict[str, Any] | None]:
    """`agent_id` (or "" when the PBX did not say who) takes the call: it stops ringing
    everywhere else. Returns the outcome of storage.answer_call and the call."""
    before = storage.call_rings(call["id"])
    outcome, row = storage.answer_call(call["id"], agent_id, now_iso())
    if outcome != "answered" or row is None:
        return outcome, row
    if agent_id and agent_id not in before:  # picked up at a phone it did not ring at
        agent = storage.get_agent(agent_id)
        if agent is not None:
            tell_ringing(storage, bus, row, agent)
    payload = {
        "call_id": row["id"],
        "call_ref": row["call_ref"],
        "agent_id": agent_id or None,
        "at": row["answered_at"],
    }
    _tell_all(storage, bus, CALL_ANSWERED, payload, row["id"])
    bus.changed([*before, *([agent_id] if agent_id else [])], ["queue"])
    return outcome, row


def hang_up(
    storage: Storage, bus: EventBus, call: dict[str, Any], cause: str
) -> tuple[bool, dict[str, Any] | None]:
    """The call ends; ended before anyone answered, an inbound call is a missed call."""
    changed, row = storage.end_call(call["id"], cause if cause in CAUSES else "", now_iso())
    if changed and row is not None:
        _tell_ended(storage, bus, row)
    return changed, row


def give_up_ringing(
    storage: Storage, bus: EventBus, call_id: int, started_by: str, at: str
) -> dict[str, Any] | None:
    """The ring time-out: a call still ringing that started at or before `started_by`
    ends at `at` as if the phone system had hung it up unanswered (`noAnswer`: missed, when
    inbound). The call, if this ended it; None if it was answered or over meanwhile,
    or another worker ended it first (the agents are told once)."""
    changed, row = storage.end_call(call_id, "noAnswer", at, ringing_since=started_by)
    if not changed or row is None:
        return None
    _tell_ended(storage, bus, row)
    return row


def _tell_ended(storage: Storage, bus: EventBus, row: dict[str, Any]) -> None:
    payload = {
        "call_id": row["id"],
        "call_ref": row["call_ref"],
        "cause": row["cause"],
        "answered": row["answered_at"] is not None,
        "agent_id": row["answered_by"] or None,
        "at": row["ended_at"],
    }
    _tell_all(storage, bus, CALL_ENDED, payload, row["id"])
    bus.changed(storage.call_rings(row["id"]), ["queue"])


def _tell_all(
    storage: Storage, bus: EventBus, event: str, payload: dict[str, Any], call_id: int
) -> None:
    rung = storage.call_rings(call_id)
    if rung:
        bus.publish(event, payload, [for_agent(a) for a in rung])
