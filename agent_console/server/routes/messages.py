"""SMS assist: the agent sends the answer by SMS during the call instead of dictating."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, StorageDep, area_for
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.quality.coaching import may_write_practice
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.tickets import Sms, SmsIn

router = APIRouter(tags=["sms"], dependencies=ADMIT)


@router.post("/sms", response_model=Sms, status_code=201)
def send_sms(body: SmsIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Send `text` to a caller (by `caller_id`) or a number (`to`); recorded with its
    `kind` (directory, kb, account, script, other) and `ref` (listing or article id)."""
    if agent["role"] == "trainee" and body.area != "practice":
        raise ApiError(403, "practice_only", "a trainee's messages go to the practice area")
    if body.area == "practice" and not may_write_practice(storage, agent):
        raise ApiError(403, "no_practice", "the practice area is for trainees and mentors")
    data = body.model_dump()
    return storage.send_sms(data, agent["id"], body.area)


@router.get("/sms", response_model=Items)
def list_sms(
    agent: AgentDep,
    storage: StorageDep,
    caller_id: Id | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    return {"items": storage.list_sms(caller_id, area_for(agent), limit)}
