"""Tickets: exactly-once creation, listing, the closed loop."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from agent_console.server import ticket_updates
from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, BusDep, StorageDep, area_for
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.quality.coaching import PRACTICE_WRITERS, may_write_practice
from agent_console.server.schemas.base import Items, Status
from agent_console.server.schemas.tickets import Ticket, TicketIn, TicketPatch
from agent_console.server.ticket_flow import DUE_YEARS, normalize_due
from agent_console.server.ticket_names import named
from agent_console.server.ticket_updates import station_ticket

router = APIRouter(tags=["tickets"], dependencies=ADMIT)


def _due(changes: dict[str, Any]) -> None:
    """Store a callback time in one form (UTC, sortable); 422 on its field if unreadable."""
    due = changes.get("callback_due")
    if due:
        try:
            changes["callback_due"] = normalize_due(due)
        except (ValueError, OverflowError):
            message = (
                f"not a date and time from {DUE_YEARS[0]} to {DUE_YEARS[1]}: {due!r} "
                "(ISO 8601, e.g. 2025-01-15T09:00:00+08:00)"
            )
            raise ApiError(422, "invalid", message, {"callback_due": message}) from None


def _check_area(storage: Any, agent: dict[str, Any], area: str) -> None:
    if agent["role"] == "trainee" and area != "practice":
        raise ApiError(
            403, "practice_only", "a trainee's tickets go to the practice area, never production"
        )
    # Trainees, the mentors who watch them, and an agent running assigned coaching.
    if area == "practice" and not may_write_practice(storage, agent):
        raise ApiError(403, "no_practice", "the practice area is for trainees and mentors")


@router.post("/tickets", response_model=Ticket, status_code=201)
def create_ticket(
    body: TicketIn,
    response: Response,
    agent: AgentDep,
    storage: StorageDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """Create a ticket. `Idempotency-Key` is required: the same key with the same body
    returns the first ticket (header `Idempotent-Replayed: true`); with another body, 422."""
    if not idempotency_key:
        raise ApiError(
            400, "idempotency_key_required", "send an Idempotency-Key header with every ticket"
        )
    _check_area(storage, agent, body.area)
    if agent["role"] == "station":
        raise ApiError(403, "forbidden", "field stations work tickets; agents create them")
    data = body.model_dump()
    _due(data)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    ticket, replayed = storage.create_ticket(data, agent["id"], idempotency_key, digest)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return ticket


@router.get("/tickets", response_model=Items)
def list_tickets(
    agent: AgentDep,
    storage: StorageDep,
    caller_id: Id | None = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    if agent["role"] == "station":
        return {"items": storage.station_tickets(agent.get("station", ""), status, limit)}
    return {"items": storage.list_tickets(caller_id, status, area_for(agent), limit)}


@router.get("/tickets/{ticket_id}", response_model=Ticket)
def get_ticket(ticket_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """One ticket with its history, and names beside its codes (caller, category, station)."""
    if agent["role"] == "station":
        return named(storage, station_ticket(agent, storage, ticket_id))
    ticket = storage.get_ticket(ticket_id, area_for(agent))
    if ticket is None and agent["role"] in PRACTICE_WRITERS[1:]:
        ticket = storage.get_ticket(ticket_id, "practice")  # mentors read trainees' tickets
    if ticket is None:
        raise ApiError(404, "not_found", f"no ticket {ticket_id}")
    return named(storage, ticket)


@router.patch("/tickets/{ticket_id}", response_model=Ticket)
def update_ticket(
    ticket_id: Id, body: TicketPatch, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Move a ticket along the closed loop (409 on an illegal move), add a note, record
    satisfaction (closing needs 1-5 and a comment; the closing note counts). Field-station
    staff may move their station's tickets dispatched -> in_progress -> resolved. The
    ticket's owner hears of every change (`ticket_updated` on the event stream)."""
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise ApiError(422, "invalid", "nothing to change")
    _due(changes)
    return named(storage, ticket_updates.update_ticket(storage, bus, agent, ticket_id, changes))
