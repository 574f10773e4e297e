"""The quality loop's part of the backend's API: the scorecard, review samples and
scores (supervisors), one's own reviews (agents), and coaching: a practice scenario
assigned from a weak scorecard item, with its result once the agent has run it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from agent_console import models
from agent_console.client.base import ClientBase
from agent_console.models.fields import as_object, objects

if TYPE_CHECKING:
    from agent_console.models.quality import Coaching, Review, ScorecardItem


class QualityCalls(ClientBase):
    async def scorecard(self) -> list[ScorecardItem]:
        return [models.ScorecardItem.from_json(i) for i in await self._items("/scorecard")]

    async def draw_review_sample(
        self, per_agent: int, date_from: str, date_to: str, seed: int | None = None
    ) -> list[Review]:
        """N closed tickets per agent between the two days (YYYY-MM-DD), drawn at random."""
        body = {"per_agent": per_agent, "from": date_from, "to": date_to, "seed": seed}
        answer = as_object(await self.request("POST", "/reviews/sample", json=body)) or {}
        return [models.Review.from_json(i) for i in objects(answer.get("items"))]

    async def reviews(self, agent_id: str | None = None, status: str | None = None) -> list[Review]:
        """A supervisor's: everyone's; anyone else's: their own (the backend decides)."""
        params = {k: v for k, v in (("agent_id", agent_id), ("status", status)) if v}
        return [models.Review.from_json(i) for i in await self._items("/reviews", params or None)]

    async def review(self, review_id: int) -> Review:
        return models.Review.from_json(await self.request("GET", f"/reviews/{review_id}"))

    async def score_review(self, review_id: int, scores: dict[str, int], comment: str) -> Review:
        body = {"scores": scores, "comment": comment}
        return models.Review.from_json(
            await self.request("PUT", f"/reviews/{review_id}", json=body)
        )

    async def scenarios_for_item(self, item_id: str) -> list[dict[str, Any]]:
        """The practice scenarios that train one scorecard item (id, title ...)."""
        return await self._items(f"/scenarios/for-item/{quote(item_id, safe='')}")

    async def assign_coaching(self, review_id: int, item: str, scenario_id: str) -> Coaching:
        body = {"review_id": review_id, "item": item, "scenario_id": scenario_id}
        return models.Coaching.from_json(await self.request("POST", "/coaching", json=body))

    async def coaching(self, agent_id: str | None = None) -> list[Coaching]:
        """A supervisor's: everyone's (or one agent's); anyone else's: their own."""
        params = {"agent_id": agent_id} if agent_id else None
        return [models.Coaching.from_json(i) for i in await self._items("/coaching", params)]
