"""The knowledge base: search, read, flag; editors (supervisors) create and update."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.fields import Id
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.knowledge import (
    Article,
    ArticleIn,
    ArticlePatch,
    Flag,
    FlagIn,
    FlagPatch,
)

router = APIRouter(tags=["knowledge base"], dependencies=ADMIT)

QueryText = Annotated[str, Query(max_length=100)]
Limit = Annotated[int, Query(ge=1, le=100)]
Filter = Annotated[str | None, Query(max_length=40)]


def require_editor(agent: dict[str, Any]) -> None:
    """Editing the knowledge base and scripts is a supervisor's job."""
    if agent["role"] != "supervisor":
        raise ApiError(403, "forbidden", "only a supervisor may edit the knowledge base or scripts")


@router.get("/kb/search", response_model=Items)
def search_kb(
    agent: AgentDep,
    storage: StorageDep,
    q: QueryText = "",
    limit: Limit = 20,
    tag: Filter = None,
    hotline: Filter = None,
    language: Annotated[Literal["zh", "en"] | None, Query()] = None,
) -> dict[str, Any]:
    """Hits with title, snippet (plain text) and `highlights`: [start, end) offsets into it.

    Title hits first, then tag hits, then body hits, newest first in each (`match` says
    which). Chinese matches any substring, of one character or more; the last Latin word
    matches as a prefix. `tag` keeps articles with a tag containing it; `hotline` keeps
    that hotline's articles and those for all hotlines.
    """
    return {"items": storage.search_kb(q, limit, tag=tag, hotline=hotline, language=language)}


@router.get("/kb/articles/{article_id}", response_model=Article)
def get_article(article_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """One article: Markdown `body`, `short_answer` for SMS, who changed it and when,
    and how many open flags it has."""
    article = storage.get_article(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article with id {article_id}")
    return article


@router.post("/kb/articles", response_model=Article, status_code=201)
def create_article(body: ArticleIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Supervisors only. Searchable as soon as the response is sent."""
    require_editor(agent)
    data = body.model_dump()
    data["slug"] = data["slug"] or f"kb-{uuid.uuid4().hex[:12]}"
    article = storage.create_article(data, agent["name"])
    storage.audit(agent["id"], "kb_create", str(article["id"]), article["title"])
    return article


def _update(
    article_id: int, changes: dict[str, Any], agent: dict[str, Any], storage: Any
) -> dict[str, Any]:
    require_editor(agent)
    if not changes:
        raise ApiError(422, "invalid", "nothing to change")
    article = storage.update_article(article_id, changes, agent["name"])
    storage.audit(agent["id"], "kb_update", str(article_id), ",".join(sorted(changes)))
    return article


@router.put("/kb/articles/{article_id}", response_model=Article)
def replace_article(
    article_id: Id, body: ArticleIn, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Supervisors only: the whole article (an empty slug keeps the current one)."""
    changes = body.model_dump()
    if not changes["slug"]:
        del changes["slug"]
    return _update(article_id, changes, agent, storage)


@router.patch("/kb/articles/{article_id}", response_model=Article)
def patch_article(
    article_id: Id, body: ArticlePatch, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Supervisors only: the fields sent, nothing else."""
    return _update(article_id, body.model_dump(exclude_unset=True), agent, storage)


@router.post("/kb/articles/{article_id}/flags", response_model=Flag, status_code=201)
def flag_article(
    article_id: Id, body: FlagIn, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Any agent: this article is outdated or wrong, and why. Editors see it in /kb/flags."""
    return storage.flag_article(article_id, body.reason, body.comment, agent["id"])


@router.get("/kb/flags", response_model=Items)
def list_flags(
    agent: AgentDep,
    storage: StorageDep,
    status: Literal["open", "resolved"] | None = "open",
    article_id: Id | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Supervisors only: flags raised by agents, newest first (open ones by default)."""
    require_editor(agent)
    return {"items": storage.list_flags(status, article_id, limit)}


@router.patch("/kb/flags/{flag_id}", response_model=Flag)
def resolve_flag(
    flag_id: Id, body: FlagPatch, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Supervisors only: mark a flag dealt with."""
    require_editor(agent)
    if body.status != "resolved":
        raise ApiError(422, "invalid", "a flag can only be resolved", {"status": "resolved"})
    return storage.resolve_flag(flag_id, agent["id"])
