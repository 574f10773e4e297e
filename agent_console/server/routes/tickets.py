"""Tickets: exactly-once creation, listing, the closed loop."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from agent_console.server.deps import AgentDep, StorageDep, area_for
from agent_console.server.errors import ApiError
from agent_console.server.schemas import Items, Status, Ticket, TicketIn, TicketPatch

router = APIRouter(tags=["tickets"])


def _check_area(agent: dict[str, Any], area: str) -> None:
    if agent["role"] == "trainee" and area != "practice":
        raise ApiError(
            403, "practice_only", "a trainee's tickets go to the practice area, never production"
        )


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
    _check_area(agent, body.area)
    data = body.model_dump()
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    ticket, replayed = storage.create_ticket(data, agent["id"], idempotency_key, digest)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return ticket


@router.get("/tickets", response_model=Items)
def list_tickets(
    agent: AgentDep,
    storage: StorageDep,
    caller_id: int | None = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    return {"items": storage.list_tickets(caller_id, status, area_for(agent), limit)}


@router.get("/tickets/{ticket_id}", response_model=Ticket)
def get_ticket(ticket_id: int, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    ticket = storage.get_ticket(ticket_id, area_for(agent))
    if ticket is None:
        raise ApiError(404, "not_found", f"no ticket {ticket_id}")
    return ticket


@router.patch("/tickets/{ticket_id}", response_model=Ticket)
def update_ticket(
    ticket_id: int, body: TicketPatch, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Move a ticket along the closed loop (409 on an illegal move), add a note, record
    satisfaction (1-5; required before closing)."""
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise ApiError(422, "invalid", "nothing to change")
    return storage.update_ticket(ticket_id, changes, agent["id"], area_for(agent))
