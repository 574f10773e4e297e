"""Standard phrases, guided scripts and hotlines: read by every seat, edited by supervisors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.guides import GuideInvalid, check_guide, normalise_steps
from agent_console.server.routes.knowledge import require_editor
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.scripts import (
    Guide,
    GuideIn,
    HotlineOut,
    Script,
    ScriptIn,
    ScriptPatch,
)

router = APIRouter(tags=["scripts"], dependencies=ADMIT)

HotlineQ = Annotated[str | None, Query(max_length=16)]
LanguageQ = Annotated[str | None, Query(max_length=8)]


@router.get("/scripts", response_model=Items)
def list_scripts(
    agent: AgentDep, storage: StorageDep, hotline: HotlineQ = None, language: LanguageQ = None
) -> dict[str, Any]:
    """Standard phrases with placeholders ({agent_no}, {caller_name}, {hotline}, {greeting},
    {centre}), by hotline, stage, language and time of day."""
    return {"items": storage.list_scripts(hotline, language)}


@router.post("/scripts", response_model=Script, status_code=201)
def create_script(body: ScriptIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Supervisors only."""
    require_editor(agent)
    return storage.create_script(body.model_dump(), agent["name"])


@router.patch("/scripts/{script_id}", response_model=Script)
def update_script(
    script_id: Id, body: ScriptPatch, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Supervisors only: the fields sent."""
    require_editor(agent)
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise ApiError(422, "invalid", "nothing to change")
    return storage.update_script(script_id, changes, agent["name"])


@router.delete("/scripts/{script_id}", status_code=204)
def delete_script(script_id: Id, agent: AgentDep, storage: StorageDep) -> Response:
    """Supervisors only."""
    require_editor(agent)
    storage.delete_script(script_id)
    return Response(status_code=204)


@router.get("/hotlines", response_model=Items)
def list_hotlines(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Hotlines with their names and the centre name scripts say ({centre})."""
    return {"items": [HotlineOut(**h).model_dump() for h in storage.list_hotlines()]}


@router.get("/guides", response_model=Items)
def list_guides(
    agent: AgentDep, storage: StorageDep, hotline: HotlineQ = None, language: LanguageQ = None
) -> dict[str, Any]:
    """Guided scripts with all their steps: small, so a seat can keep them all offline."""
    return {"items": storage.list_guides(hotline, language)}


@router.get("/guides/{guide_id}", response_model=Guide)
def get_guide(guide_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    guide = storage.get_guide(guide_id)
    if guide is None:
        raise ApiError(404, "not_found", f"no guide with id {guide_id}")
    return guide


def _checked(body: GuideIn, storage: Any) -> dict[str, Any]:
    data = body.model_dump()
    data["steps"] = normalise_steps(data["steps"])
    try:
        check_guide(data["start"], data["steps"])
    except GuideInvalid as exc:
        raise ApiError(422, "invalid", exc.message, {exc.field: exc.message}) from exc
    categories = [data["category"]] + [s["category"] for s in data["steps"]]
    for category in filter(None, categories):
        if not storage.category_exists(category):
            message = f"no ticket category {category!r}"
            raise ApiError(422, "invalid", message, {"category": message})
    return data


@router.post("/guides", response_model=Guide, status_code=201)
def create_guide(body: GuideIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Supervisors only. Every choice must lead to a step, and an end must be reachable."""
    require_editor(agent)
    return storage.create_guide(_checked(body, storage), agent["name"])


@router.put("/guides/{guide_id}", response_model=Guide)
def replace_guide(
    guide_id: Id, body: GuideIn, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Supervisors only: the whole guide."""
    require_editor(agent)
    return storage.replace_guide(guide_id, _checked(body, storage), agent["name"])
