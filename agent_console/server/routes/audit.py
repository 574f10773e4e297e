"""The audit log, for supervisors: sign-ins, unmasked phone and ID numbers, ..."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_console.server.deps import AgentDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.schemas import AuditEntry, Items

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=Items)
def audit_log(
    agent: AgentDep,
    storage: StorageDep,
    action: Annotated[str | None, Query(max_length=32)] = None,
    target: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Newest first; filter by `action` (e.g. `unmask`) and `target` (e.g. `caller:42`)."""
    if agent["role"] != "supervisor":
        raise ApiError(403, "forbidden", "the audit log is for supervisors")
    rows = storage.audit_entries(action, target, limit)
    return {"items": [AuditEntry(**r).model_dump() for r in rows]}
