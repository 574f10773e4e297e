"""The practice part of the backend's API, for trainees and mentors: results and
progress, raised hands, live hints, what each trainee is doing. A mixin of
BackendClient (agent_console/client.py), which does every request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models

if TYPE_CHECKING:
    from agent_console.client import BackendClient as _Client
    from agent_console.models import Caller, PracticeHint, PracticeResult, RaisedHand, Unmasked
    from agent_console.practice.callers import PracticeCallers
else:
    _Client = object


class PracticeCalls(_Client):
    # Set in practice mode (PracticeDesk): callers are then looked up among the
    # scenarios' callers, never the backend's production callers (issue 14).
    practice_callers: PracticeCallers | None = None

    def _practice_card(self, caller_id: int) -> Caller:
        from agent_console.client import BackendError

        assert self.practice_callers is not None
        card = self.practice_callers.card(caller_id)
        if card is None:
            raise BackendError(f"no practice caller {caller_id}", 404)
        return card

    def _practice_unmask(self, caller_id: int) -> Unmasked:
        from agent_console.client import BackendError

        assert self.practice_callers is not None
        unmasked = self.practice_callers.unmask(caller_id)
        if unmasked is None:
            raise BackendError(f"no practice caller {caller_id}", 404)
        return unmasked

    def _practice_body(self, body: dict[str, Any], number_field: str = "") -> dict[str, Any]:
        """A practice caller's id never leaves the console: a ticket goes without it, an
        SMS to the caller's number instead."""
        from agent_console.practice.callers import is_practice_id

        caller_id = body.get("caller_id")
        if self.practice_callers is None or not is_practice_id(caller_id):
            return body
        out = {**body, "caller_id": None}
        if number_field and not out.get(number_field):
            out[number_field] = self.practice_callers.phone(int(caller_id))
        return out

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

    async def lower_hand(self, hand_id: int) -> None:
        await self.request("DELETE", f"/practice/hands/{hand_id}")

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
