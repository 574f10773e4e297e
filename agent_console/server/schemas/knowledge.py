"""The knowledge base: articles, their editing and flags."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from agent_console.server.schemas.base import Clean, Patch, Strict


class ArticleHit(BaseModel):
    id: int
    slug: str
    title: str
    language: str
    hotline: str
    tags: list[str]
    short_answer: str
    updated_at: str
    updated_by: str
    snippet: str
    highlights: list[list[int]]
    match: str


class Article(BaseModel):
    id: int
    slug: str
    title: str
    language: str
    hotline: str
    tags: list[str]
    short_answer: str
    body: str
    updated_at: str
    updated_by: str
    open_flags: int = 0


Language = Literal["zh", "en"]
Tag = Annotated[Clean, Field(min_length=1, max_length=40)]
Hotline = Annotated[Clean, Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


class ArticleIn(Strict):
    slug: Clean = Field(default="", max_length=100, pattern=r"^[a-z0-9-]*$")
    title: Clean = Field(min_length=1, max_length=200)
    language: Language = "zh"
    hotline: Hotline = "all"
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    short_answer: Clean = Field(default="", max_length=500)
    body: Clean = Field(min_length=1, max_length=100_000)


class ArticlePatch(Patch):
    slug: Clean | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")
    title: Clean | None = Field(default=None, min_length=1, max_length=200)
    language: Language | None = None
    hotline: Hotline | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)
    short_answer: Clean | None = Field(default=None, max_length=500)
    body: Clean | None = Field(default=None, min_length=1, max_length=100_000)


class FlagIn(Strict):
    reason: Literal["outdated", "wrong", "other"]
    comment: Clean = Field(min_length=1, max_length=1000)


class FlagPatch(Strict):
    status: Literal["open", "resolved"]


class Flag(BaseModel):
    id: int
    article_id: int
    article_title: str
    agent_id: str
    agent_name: str
    reason: str
    comment: str
    status: str
    created_at: str
    resolved_at: str | None
    resolved_by: str
