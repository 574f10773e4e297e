"""The event stream consoles listen to, and simulated calls that make it ring."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from agent_console.server.access import ADMIT
from agent_console.server.calls import pick_caller, place_call
from agent_console.server.clock import now_iso
from agent_console.server.deps import AgentDep, BusDep, SettingsDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import sse_stream, tags_of
from agent_console.server.schemas.calls import CallOut, SimulateCallIn
from agent_console.server.security import token_hash
from agent_console.server.storage.outage import is_unavailable

log = logging.getLogger("agent_console.server")
router = APIRouter(tags=["events"], dependencies=ADMIT)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(
    request: Request,
    agent: AgentDep,
    bus: BusDep,
    settings: SettingsDep,
    storage: StorageDep,
    last_event_id: Annotated[str | None, Header(max_length=64)] = None,
) -> StreamingResponse:
    """Server-Sent Events for the signed-in agent: first `hello`, then every event
    addressed to everyone, to the agent or to the agent's role (`incoming_call`, ...),
    and a `: ping` comment during silence. Reconnect with `Last-Event-ID` to get what
    was published meanwhile (unless the server restarted). The stream ends within a
    heartbeat of its token's sign-out or expiry, or of a change of the agent's role."""
    sub = await bus.open_stream(tags_of(agent), last_event_id)
    hello = {"agent_id": agent["id"], "boot": bus.boot}
    session, role = token_hash(request.state.token), agent["role"]

    async def still_valid() -> bool:
        """The token still signed in and the role unchanged: one indexed read per
        heartbeat (sessions are rows, so a logout on any worker counts)."""
        try:
            current = await asyncio.to_thread(storage.session_agent, session, now_iso())
        except Exception as exc:
            if is_unavailable(exc):
                # The database is away: nothing says the session ended. Keep the stream
                # (the events bus catches up when the database is back) and ask again
                # at the next heartbeat; ending every stream would send every console
                # into its reconnect back-off just as the database returns.
                log.warning("event stream's session not re-checked: database unavailable")
                return True
            log.warning("cannot re-check an event stream's session", exc_info=True)
            return False
        return current is not None and current["role"] == role

    return StreamingResponse(
        sse_stream(sub, hello, settings.events_heartbeat, still_valid=still_valid),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/calls/simulate", response_model=CallOut, status_code=201, tags=["calls"])
def simulate_call(
    body: SimulateCallIn,
    agent: AgentDep,
    storage: StorageDep,
    bus: BusDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Ring an agent as a telephone switch would: a given caller, a given number, an
    unknown number (`unknown`), or a random demo caller. Supervisors ring anyone; on a
    demo server (`--simulated-calls`) an agent may ring themself. The call rings the
    way a PBX's newCall does (server/call_flow.ring): answer and hang it up with
    POST /calls/{id}/answer and /hangup.

    roles: supervisor (anyone); agent, mentor on a demo server (themself)."""
    target = body.agent_id or agent["id"]
    if agent["role"] != "supervisor" and not (settings.simulated_calls and target == agent["id"]):
        raise ApiError(403, "forbidden", "only a supervisor may place simulated calls to an agent")
    if storage.get_agent(target) is None:
        raise ApiError(422, "invalid", f"no agent {target}", {"agent_id": f"no agent {target}"})
    if body.caller_id is not None:
        number = storage.caller_phone(body.caller_id)
        if number is None:
            message = f"no caller with id {body.caller_id}"
            raise ApiError(422, "invalid", message, {"caller_id": message})
        caller_id: int | None = body.caller_id
    elif body.number:
        number, caller_id = body.number, storage.caller_id_for_number(body.number)
    else:
        number, caller_id = pick_caller(storage, random.Random(), 1.0 if body.unknown else 0.0)
    return place_call(storage, bus, target, number, caller_id)
