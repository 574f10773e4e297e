"""Caller lookup, the caller card, new callers, unmasking a caller's phone and ID."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import APIRouter, Request

from agent_console.server.access import ADMIT
from agent_console.server.clock import iso, now
from agent_console.server.deps import AgentDep, StorageDep, admitted_agent, area_for
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.lookups import DEFAULT_LIMIT, Limit, QueryText, callers_answer
from agent_console.server.reads import read
from agent_console.server.schemas.base import SearchItems
from agent_console.server.schemas.callers import Caller, CallerCard, CallerIn, Unmasked, UnmaskIn
from agent_console.server.storage import Storage
from agent_console.server.storage.base import CardReads
from agent_console.server.ticket_names import with_names

router = APIRouter(tags=["callers"], dependencies=ADMIT)


@router.get("/callers", response_model=SearchItems)
async def search_callers(
    request: Request, q: QueryText = "", limit: Limit = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Phone (full, prefix, last 4+ digits), account number, name, pinyin initials,
    address or compound; each hit says how it matched (`match`). `partial` is true when
    the search stopped at its time budget before every kind was tried. Each agent has a
    search budget (429 with Retry-After past it); a search of 7 or more digits is
    written to the audit log."""
    # Most are answered by server/hot_search.py before they reach this route.
    return await callers_answer(request, admitted_agent(request), q, limit)


@router.post("/callers", response_model=Caller, status_code=201)
def create_caller(body: CallerIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    if agent["role"] == "trainee":
        raise ApiError(403, "practice_only", "trainees cannot create production callers")
    return storage.create_caller(body.model_dump())


@router.get("/callers/{caller_id}", response_model=CallerCard)
async def get_caller(request: Request, caller_id: Id) -> dict[str, Any]:
    """The caller (phone and ID masked), recent tickets, and open follow-ups: tickets
    not closed yet, the most pressing callback first."""
    agent = admitted_agent(request)  # and the storage from the app: see admitted_agent
    storage: Storage = request.app.state.storage
    area, since = area_for(agent), _card_since()
    answered, reads = await storage.card_reads_on_loop(caller_id, area, since)
    if answered and (reads is None or not (reads[1] or reads[2])):
        found = None if reads is None else _card_of(storage, caller_id, reads)
    elif answered:  # the names of its tickets' codes (with_names) where reads run
        assert reads is not None
        names = partial(_card_of, storage, caller_id, reads)
        found = await read(storage, storage.together, names)
    else:
        card = partial(_card, storage, caller_id, area, since)
        found = await read(storage, storage.together, card)  # one connection for its reads
    if found is None:
        raise ApiError(404, "not_found", f"no caller with id {caller_id}")
    return found


def _card_since() -> str:
    return iso(now() - timedelta(days=30))


def _card(storage: Storage, caller_id: int, area: str, since: str) -> dict[str, Any] | None:
    reads = storage.card_reads(caller_id, area, since)
    return None if reads is None else _card_of(storage, caller_id, reads)


def _card_of(storage: Storage, caller_id: int, reads: CardReads) -> dict[str, Any]:
    """The card from its reads; the tickets' names read here (with_names) if any."""
    caller, recent, followups, count = reads
    # With the category's and station's names: the card shows names, never codes.
    named = with_names(storage, recent + followups, {caller_id: caller})
    caller["recent_tickets"], caller["open_followups"] = named[: len(recent)], named[len(recent) :]
    caller["tickets_30d"] = count
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
