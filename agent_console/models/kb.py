"""Knowledge base: hits, articles, flags agents raise on them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_int, as_str


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    updated_at: str
    tags: tuple[str, ...] = ()
    language: str = "zh"
    short_answer: str = ""
    match: str = ""
    slug: str = ""  # the article's stable key (practice scenarios name articles by it)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleHit:
        snippet = as_str(d, "snippet")
        spans: list[tuple[int, int]] = []
        for span in d.get("highlights") or ():
            try:
                start, end = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= start < end <= len(snippet):
                spans.append((start, end))
        return cls(
            id=int(d["id"]),
            title=as_str(d, "title"),
            snippet=snippet,
            highlights=tuple(spans),
            updated_at=as_str(d, "updated_at"),
            tags=tuple(str(t) for t in d.get("tags") or ()),
            language=as_str(d, "language", "zh"),
            short_answer=as_str(d, "short_answer"),
            match=as_str(d, "match"),
            slug=as_str(d, "slug"),
        )


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    body: str
    updated_at: str
    updated_by: str = ""
    tags: tuple[str, ...] = ()
    language: str = "zh"
    short_answer: str = ""
    hotline: str = "all"
    open_flags: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=int(d["id"]),
            title=as_str(d, "title"),
            body=as_str(d, "body"),
            updated_at=as_str(d, "updated_at"),
            updated_by=as_str(d, "updated_by"),
            tags=tuple(str(t) for t in d.get("tags") or ()),
            language=as_str(d, "language", "zh"),
            short_answer=as_str(d, "short_answer"),
            hotline=as_str(d, "hotline", "all"),
            open_flags=as_int(d, "open_flags"),
        )


@dataclass(frozen=True)
class KbFlag:
    id: int
    article_id: int
    reason: str
    comment: str
    status: str
    created_at: str
    article_title: str = ""
    agent_id: str = ""
    agent_name: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> KbFlag:
        return cls(
            id=int(d["id"]),
            article_id=int(d["article_id"]),
            reason=as_str(d, "reason"),
            comment=as_str(d, "comment"),
            status=as_str(d, "status", "open"),
            created_at=as_str(d, "created_at"),
            article_title=as_str(d, "article_title"),
            agent_id=as_str(d, "agent_id"),
            agent_name=as_str(d, "agent_name"),
        )
