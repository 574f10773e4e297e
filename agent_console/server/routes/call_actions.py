"""What an agent does with a call from the console: take it, end it, see the calls
nobody answered, call a caller back and say whether it reached them.

roles (every route here): agent, mentor, supervisor, the people who take calls.
Trainees (practice only) and field stations are refused with 403.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from agent_console.server import call_flow
from agent_console.server.access import ADMIT
from agent_console.server.clock import now, now_iso
from agent_console.server.deps import AgentDep, BusDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.schemas.calls import (
    CallOut,
    CallResultIn,
    MissedCalls,
    MyCall,
    OutboundCallIn,
)
from agent_console.server.storage.sql.call_life import CALL_ROLES
from agent_console.text import mask_phone

router = APIRouter(tags=["calls"], dependencies=ADMIT)
CallId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _call_taker(agent: dict[str, Any]) -> str:
    if agent["role"] not in CALL_ROLES:
        raise ApiError(403, "forbidden", "only agents, mentors and supervisors take calls")
    return str(agent["id"])


def _call_at(storage: Any, call_id: int, agent_id: str) -> dict[str, Any]:
    """The call, if it rang at (or belongs to) this agent; 404 otherwise: another
    agent's call is not theirs to see."""
    call = storage.get_call(call_id)
    if call is None or agent_id not in storage.call_rings(call_id):
        raise ApiError(404, "not_found", f"no call {call_id} at this agent")
    return call


@router.post("/calls/{call_id}/answer", response_model=CallOut)
def answer_call(call_id: CallId, agent: AgentDep, storage: StorageDep, bus: BusDep) -> Any:
    """Take a call ringing here (the demo has no handset; a PBX sends `answer` itself).
    It stops ringing at the other agents (`call_answered`). 409 if someone else took
    it or it is over; answering one's own call again changes nothing.

    roles: agent, mentor, supervisor."""
    me = _call_taker(agent)
    call = _call_at(storage, call_id, me)
    outcome, row = call_flow.answer(storage, bus, call, me)
    if outcome == "taken":
        raise ApiError(409, "already_answered", "another agent has answered this call")
    if outcome == "over":
        raise ApiError(409, "call_over", "the call has ended")
    return row


@router.post("/calls/{call_id}/hangup", response_model=CallOut)
def hang_up_call(call_id: CallId, agent: AgentDep, storage: StorageDep, bus: BusDep) -> Any:
    """End one's own answered call (demo and practice; a PBX sends `hangup` itself):
    `call_ended` goes to every agent it rang at. 403 for a call another agent has,
    409 for one still ringing; ending an ended call again changes nothing.

    roles: agent, mentor, supervisor."""
    me = _call_taker(agent)
    call = _call_at(storage, call_id, me)
    if call["state"] == "ringing":
        raise ApiError(409, "not_answered", "answer the call first")
    if call["answered_by"] != me:
        raise ApiError(403, "forbidden", "this call is another agent's")
    _, row = call_flow.hang_up(storage, bus, call, "normalClearing")
    return row


@router.get("/calls/current", response_model=MyCall)
def current_call(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """The phone system's call (CTI) the agent has answered and that has not ended
    (`{"call": null}`: none). A console that starts (or restarts) mid-call takes it up
    again, so the agent can end it with F10 when the phone system's hangup never comes.
    A simulated call is not: no caller is on its line once its console has gone.

    roles: agent, mentor, supervisor."""
    me = _call_taker(agent)
    call = storage.active_call_for(me)
    if call is None or call["state"] != "answered" or call["source"] != "cti":
        return {"call": None}
    caller_id = call["caller_id"]
    return {
        "call": {
            "call_id": call["id"],
            "number": call["number"],
            "number_masked": mask_phone(call["number"]),
            "caller_id": caller_id,
            "caller_name": storage.caller_name(caller_id) if caller_id is not None else None,
            "direction": call["direction"],
            "call_ref": call["call_ref"],
            "queue": call["queue"],
            "at": call["started_at"],
            "answered_at": call["answered_at"],
            "answered_seconds_ago": _age_s(call["answered_at"]),
        }
    }


def _age_s(at: str | None) -> float | None:
    """Seconds since `at` by the server's clock (None for no or an unreadable time)."""
    try:
        when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((now() - when).total_seconds(), 0.0)


@router.get("/calls/missed", response_model=MissedCalls)
def missed_calls(
    agent: AgentDep,
    storage: StorageDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """The caller log: calls to the agent's hotline that ended before anyone answered,
    newest first, each with the agents it rang at and whether it was called back.

    roles: agent, mentor, supervisor."""
    _call_taker(agent)
    rows = storage.missed_calls(str(agent.get("hotline", "")), limit)
    for row in rows:
        row["number_masked"] = mask_phone(row.pop("number"))
    return {"items": rows}


@router.post("/calls/outbound", response_model=CallOut, status_code=201)
def outbound_call(body: OutboundCallIn, agent: AgentDep, storage: StorageDep) -> Any:
    """Record a call the agent places to call a caller back (a known caller, or the
    number of a missed call): the answer holds the number to dial. Its result is
    said with POST /calls/{id}/result.

    roles: agent, mentor, supervisor."""
    me = _call_taker(agent)
    caller_id, number = body.caller_id, None
    if body.call_id is not None:
        missed = storage.get_call(body.call_id)
        if missed is None or missed["hotline"] != agent.get("hotline", ""):
            message = f"no call {body.call_id} on this hotline"
            raise ApiError(422, "invalid", message, {"call_id": message})
        number = missed["number"]
        caller_id = caller_id if caller_id is not None else missed["caller_id"]
    if number is None and caller_id is not None:
        number = storage.caller_phone(caller_id)
        if number is None:
            message = f"no caller with id {caller_id}"
            raise ApiError(422, "invalid", message, {"caller_id": message})
    if not any(ch.isdigit() for ch in number or ""):
        message = "this number cannot be called back (withheld)"
        raise ApiError(422, "invalid", message, {"call_id": message})
    data = {
        "number": number,
        "caller_id": caller_id,
        "reason": body.reason,
        "ticket_id": body.ticket_id,
        "hotline": agent.get("hotline", ""),
    }
    return storage.record_outbound(me, data)


@router.post("/calls/{call_id}/result", response_model=CallOut)
def call_result(call_id: CallId, body: CallResultIn, agent: AgentDep, storage: StorageDep) -> Any:
    """Whether one's own outbound call reached the caller (one that did not is over).

    roles: agent, mentor, supervisor."""
    me = _call_taker(agent)
    call = storage.get_call(call_id)
    if call is None or call["agent_id"] != me or call["direction"] != "out":
        raise ApiError(404, "not_found", f"no outbound call {call_id} of yours")
    return storage.set_call_result(call_id, body.reached, now_iso())
