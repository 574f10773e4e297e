"""For supervisors: the audit log (sign-ins, failures, unmasking, role changes) and
changing an agent's role (which the log records)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.schemas.agents import Agent, AuditEntry, RoleIn
from agent_console.server.schemas.base import Items

router = APIRouter(tags=["audit"], dependencies=ADMIT)


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


@router.patch("/agents/{agent_id}/role", response_model=Agent)
def change_role(
    request: Request,
    agent_id: Annotated[str, Path(max_length=32)],
    body: RoleIn,
    agent: AgentDep,
    storage: StorageDep,
) -> dict[str, Any]:
    """Make an agent a trainee, mentor, supervisor...; written to the audit log."""
    if agent["role"] != "supervisor":
        raise ApiError(403, "forbidden", "only a supervisor may change roles")
    changed = storage.set_agent_role(agent_id, body.role, agent["id"])
    if changed is None:
        raise ApiError(404, "not_found", f"no agent {agent_id}")
    # Every process judges the agent's next request with the new role.
    request.app.state.events.revoke_sessions(agent_id=agent_id)
    return changed
