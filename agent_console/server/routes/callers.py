"""Caller lookup, the caller card, new callers, unmasking a caller's phone and ID."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from agent_console.server.access import ADMIT
from agent_console.server.clock import iso, now
from agent_console.server.deps import AgentDep, StorageDep, admitted_agent, area_for
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.reads import read
from agent_console.server.schemas.base import SearchItems
from agent_console.server.schemas.callers import Caller, CallerCard, CallerIn, Unmasked, UnmaskIn
from agent_console.server.search_guard import guard_search
from agent_console.server.storage import Storage
from agent_console.server.ticket_names import with_names

router = APIRouter(tags=["callers"], dependencies=ADMIT)

QueryText = Annotated[str, Query(max_length=100)]
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("/callers", response_model=SearchItems)
async def search_callers(request: Request, q: QueryText = "", limit: Limit = 20) -> dict[str, Any]:
    """Phone (full, prefix, last 4+ digits), account number, name, pinyin initials,
    address or compound; each hit says how it matched (`match`). `partial` is true when
    the search stopped at its time budget before every kind was tried. Each agent has a
    search budget (429 with Retry-After past it); a search of 7 or more digits is
    written to the audit log."""
    # The agent and the storage from the request, not as dependencies (see
    # admitted_agent): a search is sent on every keystroke.
    guard_search(request, admitted_agent(request), q)
    storage: Storage = request.app.state.storage
    found = await read(storage, storage.search_callers, q, limit)
    return {"items": found.items, "partial": found.partial}


@router.post("/callers", response_model=Caller, status_code=201)
def create_caller(body: CallerIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    if agent["role"] == "trainee":
        raise ApiError(403, "practice_only", "trainees cannot create production callers")
    return storage.create_caller(body.model_dump())


@router.get("/callers/{caller_id}", response_model=CallerCard)
async def get_caller(caller_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """The caller (phone and ID masked), recent tickets, and open follow-ups: tickets
    not closed yet, the most pressing callback first."""
    card = partial(_card, storage, caller_id, area_for(agent))
    found = await read(storage, storage.together, card)  # one connection for its reads
    if found is None:
        raise ApiError(404, "not_found", f"no caller with id {caller_id}")
    return found


def _card(storage: Storage, caller_id: int, area: str) -> dict[str, Any] | None:
    caller = storage.get_caller(caller_id)
    if caller is None:
        return None
    recent = storage.list_tickets(caller_id, None, area, 10)
    followups = storage.open_followups(caller_id, area, 20)
    # With the category's and station's names: the card shows names, never codes.
    named = with_names(storage, recent + followups, {caller_id: caller})
    caller["recent_tickets"], caller["open_followups"] = named[: len(recent)], named[len(recent) :]
    since = iso(now() - timedelta(days=30))
    caller["tickets_30d"] = storage.caller_ticket_count(caller_id, area, since)
    return caller


@router.post("/callers/{caller_id}/unmask", response_model=Unmasked)
def unmask_caller(
    caller_id: Id, agent: AgentDep, storage: StorageDep, body: UnmaskIn | None = None
) -> dict[str, Any]:
    """The full phone number and ID number. Every call is written to the audit log
    (who, when, whose, why); trainees work on practice data and may not."""
    if agent["role"] == "trainee":
        raise ApiError(403, "practice_only", "trainees cannot unmask production callers")
    reason = body.reason if body else ""
    unmasked = storage.unmask_caller(caller_id, agent["id"], reason)
    if unmasked is None:
        raise ApiError(404, "not_found", f"no caller with id {caller_id}")
    return unmasked
