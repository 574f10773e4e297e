"""The knowledge base, scripts and guides, and the reference lists a form offers
(hotlines, ticket categories, field stations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase

if TYPE_CHECKING:
    from agent_console.models.kb import Article, ArticleHit, KbFlag
    from agent_console.models.scripts import Guide, Hotline, Script
    from agent_console.models.tickets import Category, Station


class KnowledgeCalls(ClientBase):
    async def search_kb(
        self, q: str, limit: int = 20, *, tag: str | None = None, hotline: str | None = None
    ) -> list[ArticleHit]:
        params: dict[str, Any] = {"q": q, "limit": limit}
        params.update({k: v for k, v in (("tag", tag), ("hotline", hotline)) if v})
        items = await self._items("/kb/search", params)
        return [models.ArticleHit.from_json(i) for i in items]

    async def get_article(self, article_id: int) -> Article:
        return models.Article.from_json(await self.request("GET", f"/kb/articles/{article_id}"))

    async def flag_article(self, article_id: int, reason: str, comment: str) -> KbFlag:
        body = {"reason": reason, "comment": comment}
        return models.KbFlag.from_json(
            await self.request("POST", f"/kb/articles/{article_id}/flags", json=body)
        )

    async def scripts(
        self, hotline: str | None = None, language: str | None = None
    ) -> list[Script]:
        params = {k: v for k, v in (("hotline", hotline), ("language", language)) if v}
        return [models.Script.from_json(i) for i in await self._items("/scripts", params)]

    async def guides(self, hotline: str | None = None) -> list[Guide]:
        params = {"hotline": hotline} if hotline else None
        return [models.Guide.from_json(i) for i in await self._items("/guides", params)]

    async def hotlines(self) -> list[Hotline]:
        return [models.Hotline.from_json(i) for i in await self._items("/hotlines")]

    async def categories(self) -> list[Category]:
        return [models.Category.from_json(i) for i in await self._items("/ticket-categories")]

    async def stations(self) -> list[Station]:
        return [models.Station.from_json(i) for i in await self._items("/stations")]
