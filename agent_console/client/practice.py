"""The practice part of the backend's API, for trainees and mentors: results and
progress, raised hands, live hints, what each trainee is doing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase

if TYPE_CHECKING:
    from agent_console.models.practice import PracticeHint, PracticeResult, RaisedHand


class PracticeCalls(ClientBase):
    async def submit_practice_result(self, debrief: dict[str, Any]) -> PracticeResult:
        """Store a debrief (practice.Debrief.to_json()) for the signed-in trainee."""
        return models.PracticeResult.from_json(
            await self.request("POST", "/practice/results", json=debrief)
        )

    async def practice_results(
        self, trainee: str | None = None, scenario: str | None = None, limit: int = 50
    ) -> list[PracticeResult]:
        params: dict[str, Any] = {"limit": limit}
        params |= {k: v for k, v in (("trainee", trainee), ("scenario", scenario)) if v}
        items = await self._items("/practice/results", params)
        return [models.PracticeResult.from_json(i) for i in items]

    async def practice_result(self, result_id: int) -> PracticeResult:
        """One result with its timeline, for the review after hang-up."""
        return models.PracticeResult.from_json(
            await self.request("GET", f"/practice/results/{result_id}")
        )

    async def practice_progress(self, trainee: str | None = None) -> dict[str, Any]:
        params = {"trainee": trainee} if trainee else None
        return await self.request("GET", "/practice/progress", params=params)

    async def practice_compare(self, trainees: list[str] | None = None) -> list[dict[str, Any]]:
        params = {"trainees": ",".join(trainees)} if trainees else None
        return await self._items("/practice/compare", params)

    async def raise_hand(self, scenario_id: str, step: str, note: str = "") -> RaisedHand:
        body = {"scenario_id": scenario_id, "step": step, "note": note}
        return models.RaisedHand.from_json(await self.request("POST", "/practice/hands", json=body))

    async def raised_hands(self, open_only: bool = True) -> list[RaisedHand]:
        items = await self._items("/practice/hands", {"open": "true" if open_only else "false"})
        return [models.RaisedHand.from_json(i) for i in items]

    async def take_hand(self, hand_id: int) -> RaisedHand:
        """A mentor is on the way to this trainee."""
        body = {"status": "taken"}
        return models.RaisedHand.from_json(
            await self.request("PATCH", f"/practice/hands/{hand_id}", json=body)
        )

    async def send_practice_hint(
        self, trainee_id: str, text: str, *, hand_id: int | None = None, canned: str = ""
    ) -> PracticeHint:
        body = {"trainee_id": trainee_id, "text": text, "hand_id": hand_id, "canned": canned}
        return models.PracticeHint.from_json(
            await self.request("POST", "/practice/hints", json=body)
        )

    async def practice_hints(
        self, *, unseen: bool = False, after: int = 0, trainee: str | None = None
    ) -> list[PracticeHint]:
        params: dict[str, Any] = {"unseen": "true" if unseen else "false", "after": after}
        if trainee:
            params["trainee"] = trainee
        return [
            models.PracticeHint.from_json(i) for i in await self._items("/practice/hints", params)
        ]

    async def mark_hint_seen(self, hint_id: int) -> PracticeHint:
        body = await self.request("PATCH", f"/practice/hints/{hint_id}", json={"seen": True})
        return models.PracticeHint.from_json(body)

    async def report_practice_activity(self, scenario_id: str, title: str, step: str) -> None:
        body = {"scenario_id": scenario_id, "title": title, "step": step}
        await self.request("PUT", "/practice/activity", json=body)

    async def practice_room(self) -> list[dict[str, Any]]:
        """Every trainee's current scenario, step and open hand (mentors)."""
        return await self._items("/practice/activity")
