"""A supervisor's hand on every seat (issue 16): set an agent ready or not ready, sign a
seat out, send a one-line message that stays on the agent's console until read, hand
a ticket to another agent or field station. Each is written to the audit log and told
to the agent's console over the event stream.

During a call (the agent's state is on_call or acw) a state change and a sign-out are
refused with 409 `agent_busy`: cutting into a caller's conversation or its wrap-up
from the floor would lose the call's record; the supervisor tries again after the call
(the wallboard shows when it ends), or sends a message meanwhile.

roles: supervisor; reading one's own messages: every console role.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from agent_console.server.access import ADMIT
from agent_console.server.clock import now_iso
from agent_console.server.deps import AgentDep, BusDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import EventBus, for_agent
from agent_console.server.fields import Id
from agent_console.server.schemas.agents import AgentStateOut
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.floor import (
    FloorMessage,
    FloorMessageIn,
    ReassignIn,
    SeatStateIn,
    SignOutIn,
)
from agent_console.server.schemas.tickets import Ticket
from agent_console.server.storage.sql.floor import SeatBusy
from agent_console.server.ticket_names import named

router = APIRouter(tags=["floor"], dependencies=ADMIT)
AgentId = Annotated[str, Path(min_length=1, max_length=32)]

# Events to the agent's console.
FLOOR_MESSAGE = "floor_message"
SEAT_STATE_FORCED = "seat_state_forced"
SIGNED_OUT = "signed_out"
TICKET_REASSIGNED = "ticket_reassigned"


def _supervisor(agent: dict[str, Any]) -> dict[str, Any]:
    if agent["role"] != "supervisor":
        raise ApiError(403, "forbidden", "only a supervisor has a hand on other seats")
    return agent


def _by(agent: dict[str, Any]) -> dict[str, str]:
    """Who did it, as the agent's console names them."""
    return {"by_no": str(agent["agent_no"]), "by_name": str(agent["name"]), "at": now_iso()}


def _busy(exc: SeatBusy) -> ApiError:
    return ApiError(409, "agent_busy", f"{exc}; send a message meanwhile")


@router.put("/agents/{agent_id}/state", response_model=AgentStateOut)
def set_seat_state(
    agent_id: AgentId, body: SeatStateIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Set an agent ready, or not ready with a reason; their console shows who did it
    (`seat_state_forced`). 409 `agent_busy` during a call or its wrap-up."""
    me = _supervisor(agent)
    if body.state == "not_ready" and not body.reason:
        message = "say why the agent is not ready (break, training, meeting ...)"
        raise ApiError(422, "invalid", message, {"reason": message})
    reason = body.reason if body.state == "not_ready" else ""
    try:
        row = storage.force_agent_state(agent_id, body.state, reason, me["id"])
    except SeatBusy as exc:
        raise _busy(exc) from None
    bus.publish(
        SEAT_STATE_FORCED, {"state": body.state, "reason": reason, **_by(me)}, for_agent(agent_id)
    )
    return row


@router.post("/agents/{agent_id}/sign-out", response_model=AgentStateOut)
def sign_out_seat(
    agent_id: AgentId,
    body: SignOutIn,
    agent: AgentDep,
    storage: StorageDep,
    bus: BusDep,
) -> dict[str, Any]:
    """End every session of the agent: their console is told why (`signed_out`), its
    event stream ends, and it asks for a sign-in with what was typed kept. 409
    `agent_busy` during a call or its wrap-up."""
    me = _supervisor(agent)
    if agent_id == me["id"]:
        raise ApiError(422, "invalid", "sign yourself out with POST /auth/logout")
    try:
        row = storage.sign_out_agent(agent_id, body.reason, me["id"])
    except SeatBusy as exc:
        raise _busy(exc) from None
    bus.revoke_sessions(agent_id=agent_id)  # every process, before the answer
    bus.publish(SIGNED_OUT, {"reason": body.reason, **_by(me)}, for_agent(agent_id))
    return row


@router.post("/agents/{agent_id}/messages", response_model=FloorMessage, status_code=201)
def send_message(
    agent_id: AgentId, body: FloorMessageIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """One line (1-200 characters) to an agent's console, shown there until read."""
    me = _supervisor(agent)
    text = " ".join(body.text.split())
    if not text:
        raise ApiError(422, "invalid", "the message is empty", {"text": "the message is empty"})
    message = storage.send_floor_message(agent_id, text, me["id"])
    _publish_message(bus, agent_id, message)
    return message


def _publish_message(bus: EventBus, agent_id: str, message: dict[str, Any]) -> None:
    data = FloorMessage(**message).model_dump()
    bus.publish(FLOOR_MESSAGE, data, for_agent(agent_id))


@router.get("/messages/unread", response_model=Items)
def unread_messages(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """The signed-in agent's floor messages not yet read, the oldest first."""
    rows = storage.unread_floor_messages(agent["id"])
    return {"items": [FloorMessage(**r).model_dump() for r in rows]}


@router.post("/messages/{message_id}/read", response_model=FloorMessage)
def read_message(message_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Mark one's own message read (404 for anyone else's)."""
    return storage.read_floor_message(message_id, agent["id"])


@router.post("/tickets/{ticket_id}/reassign", response_model=Ticket)
def reassign_ticket(
    ticket_id: Id, body: ReassignIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Hand a production ticket to another agent (they own it and call back) or
    dispatch it to another field station; the new owner hears of it."""
    me = _supervisor(agent)
    storage.reassign_ticket(ticket_id, body.agent_id, body.station, body.reason, me["id"])
    ticket = storage.get_ticket(ticket_id, "production")
    if ticket is None:
        raise ApiError(404, "not_found", f"no ticket {ticket_id}")
    data = {"ticket_id": ticket_id, "reason": body.reason, **_by(me)}
    if body.agent_id is not None:
        bus.publish(TICKET_REASSIGNED, data, for_agent(body.agent_id))
    else:
        stations = storage.station_accounts()
        staff = [for_agent(str(s["id"])) for s in stations if s["station"] == body.station]
        if staff:
            bus.publish(TICKET_REASSIGNED, data, staff)
    return named(storage, ticket)
