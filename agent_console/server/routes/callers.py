"""Caller lookup, the caller card, new callers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_console.server.deps import AgentDep, StorageDep, area_for
from agent_console.server.errors import ApiError
from agent_console.server.schemas import Caller, CallerCard, CallerIn, Items

router = APIRouter(tags=["callers"])

QueryText = Annotated[str, Query(max_length=100)]
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("/callers", response_model=Items)
def search_callers(
    agent: AgentDep, storage: StorageDep, q: QueryText = "", limit: Limit = 20
) -> dict[str, Any]:
    """Phone (full, prefix, last 4+ digits), account number, name, pinyin initials,
    address or compound; each hit says how it matched (`match`)."""
    return {"items": storage.search_callers(q, limit)}


@router.post("/callers", response_model=Caller, status_code=201)
def create_caller(body: CallerIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    if agent["role"] == "trainee":
        raise ApiError(403, "practice_only", "trainees cannot create production callers")
    return storage.create_caller(body.model_dump())


@router.get("/callers/{caller_id}", response_model=CallerCard)
def get_caller(caller_id: int, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    caller = storage.get_caller(caller_id)
    if caller is None:
        raise ApiError(404, "not_found", f"no caller with id {caller_id}")
    caller["recent_tickets"] = storage.list_tickets(caller_id, None, area_for(agent), 10)
    return caller
