"""The closed loop around tickets: my follow-ups, a field station's queue, agent state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_console.server.access import ADMIT
from agent_console.server.clock import now_iso
from agent_console.server.deps import AgentDep, BusDep, StorageDep, area_for
from agent_console.server.errors import ApiError
from agent_console.server.schemas.agents import AgentStateIn, AgentStateOut
from agent_console.server.schemas.base import Items, Status
from agent_console.server.ticket_names import with_names

router = APIRouter(dependencies=ADMIT)

Limit = Annotated[int, Query(ge=1, le=200)]
# Who may watch every agent's state: the duty supervisor and the mentors on the floor.
WATCHERS = ("supervisor", "mentor")


@router.get("/tickets/followups", response_model=Items, tags=["tickets"])
def followups(agent: AgentDep, storage: StorageDep, limit: Limit = 100) -> dict[str, Any]:
    """Tickets the signed-in agent created that still owe the caller a callback, the
    earliest due first; `overdue` when the callback time has passed. Each names its
    caller (name, masked number), category and station beside the codes."""
    now = now_iso()
    items = with_names(storage, storage.followups(agent["id"], area_for(agent), limit))
    return {"items": [{**t, "overdue": t["callback_due"] < now} for t in items]}


@router.get("/station/tickets", response_model=Items, tags=["stations"])
def station_tickets(
    agent: AgentDep, storage: StorageDep, status: Status | None = None, limit: Limit = 100
) -> dict[str, Any]:
    """A field station's queue: tickets dispatched to the signed-in station user's
    station. Move them on with PATCH /tickets/{id} `{"status": "in_progress", "note": ...}`."""
    if agent["role"] != "station" or not agent.get("station"):
        raise ApiError(403, "forbidden", "only field-station staff have a station queue")
    return {"items": storage.station_tickets(agent["station"], status, limit)}


@router.put("/agents/me/state", response_model=AgentStateOut, tags=["agents"])
def set_state(
    body: AgentStateIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Ready, not ready (with a reason), after-call work, on a call. Supervisors see it."""
    if body.state == "not_ready" and not body.reason:
        message = "say why you are not ready (break, training, meal ...)"
        raise ApiError(422, "invalid", message, {"reason": message})
    if agent["role"] == "station":
        raise ApiError(403, "forbidden", "field-station staff have no seat state")
    if body.call_id is not None:  # on a call, or wrapping one up: only the agent's own
        owner = storage.call_agent(body.call_id)
        if owner is None:
            raise ApiError(404, "not_found", f"no call {body.call_id}")
        if owner != agent["id"]:
            raise ApiError(403, "not_your_call", f"call {body.call_id} was not placed to you")
    data = body.model_dump()
    if body.state != "not_ready":
        data["reason"] = ""
    row = storage.set_agent_state(agent["id"], data)
    bus.changed([str(agent["id"])])  # the wallboard's row
    return row


@router.get("/agents/states", response_model=Items, tags=["agents"])
def states(agent: AgentDep, storage: StorageDep, hotline: str | None = None) -> dict[str, Any]:
    """Every seat's state and since when (supervisors and mentors)."""
    if agent["role"] not in WATCHERS:
        raise ApiError(403, "forbidden", "only supervisors and mentors see every agent's state")
    return {"items": storage.agent_states(hotline)}
