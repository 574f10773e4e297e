"""What agents read: directory, categories, stations (knowledge base and scripts: their own
routers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, StorageDep, admitted_agent
from agent_console.server.lookups import DEFAULT_LIMIT, Limit, QueryText, directory_answer
from agent_console.server.schemas.base import Items, SearchItems
from agent_console.server.textkeys import pinyin_initials

router = APIRouter(dependencies=ADMIT)


@router.get("/directory", response_model=SearchItems, tags=["directory"])
async def search_directory(
    request: Request, q: QueryText = "", limit: Limit = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Organisation name (or its pinyin initials: `bjdx` finds 北京大学), number, address,
    department; `match` says how each hit matched, `partial` that the time budget ran out."""
    # No agent dependency (admit() has checked the token): a search is sent on every
    # keystroke (see deps.admitted_agent); most are answered by server/hot_search.py.
    return await directory_answer(request, admitted_agent(request), q, limit)


def _tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    nodes: dict[Any, dict[str, Any]] = {
        r["id"]: {
            "id": r["id"],
            "parent": r["parent"],
            "name": r["name_zh"],
            "name_en": r["name_en"],
            "hotline": r["hotline"],
            "priority_default": r["priority_default"],
            "initials": pinyin_initials(r["name_zh"]),  # type-to-filter: hnps finds 户内跑水
            "children": [],
        }
        for r in rows
    }
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["parent"])
        (parent["children"] if parent else roots).append(node)
    return roots


@router.get("/ticket-categories", response_model=Items, tags=["tickets"])
def categories(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """The category tree: roots with nested `children`; each node has `id` and `name`."""
    return {"items": _tree(storage.list_categories())}


@router.get("/stations", response_model=Items, tags=["tickets"])
def stations(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Field stations tickets are dispatched to."""
    return {"items": storage.list_stations()}
