"""The console's side of practice over real HTTP: the client methods part B's screens
use, between a trainee's and a mentor's client on one real server."""

from __future__ import annotations

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendError
from agent_console.practice import (
    CallEnded,
    HandRaised,
    HitOpened,
    MentorHint,
    PastResult,
    ScriptSaid,
    plan_drill,
    shipped_scenarios,
)
from tests.conftest import login
from tests.practice.helpers import engine_for, wait


async def test_a_hand_a_hint_and_a_result_round_trip(fresh_server: EmbeddedBackend) -> None:
    url = fresh_server.url
    trainee = BackendClient(url, login(url, "2002"))
    mentor = BackendClient(url, login(url, "3001"))
    try:
        engine, clock = engine_for("dir-departments")
        engine.start()
        engine.feed(ScriptSaid("greeting", "1", "您好"))
        wait(engine, clock, 12)
        hand = await trainee.raise_hand(**engine.hand())
        engine.feed(HandRaised())
        await trainee.report_practice_activity("dir-departments", "Departments", hand.step)

        up = await mentor.raised_hands()
        assert [(h.trainee_name, h.scenario_id, h.step) for h in up] == [
            ("陈思远", "dir-departments", "1:ask")
        ]
        room = {r["trainee_id"]: r for r in await mentor.practice_room()}
        assert room["2002"]["hand_id"] == hand.id
        taken = await mentor.take_hand(hand.id)
        assert taken.status == "taken"
        sent = await mentor.send_practice_hint(
            "2002", "先问清科室\x1b[31m，再查“儿科”", hand_id=hand.id
        )

        new = await trainee.practice_hints(unseen=True)
        assert [(h.id, h.text, h.mentor_name) for h in new] == [
            (sent.id, "先问清科室[31m，再查“儿科”", "赵晓红")  # the escape byte is gone
        ]
        shown = engine.feed(MentorHint(new[0].text, str(new[0].id)))
        assert [h.source for h in shown] == ["mentor"]
        await trainee.mark_hint_seen(new[0].id)
        assert await trainee.practice_hints(unseen=True) == []
        assert await mentor.raised_hands() == []  # answered by the hint

        engine.feed(HitOpened("listing", "0471-3470537", "department"))
        engine.feed(CallEnded())
        stored = await trainee.submit_practice_result(engine.debrief().to_json())
        assert (stored.scenario_id, stored.mentor_hints, stored.hands) == ("dir-departments", 1, 1)
        again = await trainee.practice_result(stored.id)
        assert again.timeline and again.items == stored.items

        history = [PastResult.from_result(r) for r in await trainee.practice_results()]
        assert history[0].scenario_id == "dir-departments" and "sms" in history[0].missed_skills
        plan = plan_drill(shipped_scenarios(), history, minutes=15, day=3)
        assert plan
        progress = await mentor.practice_progress("2002")
        assert progress["results"] == 1
        with pytest.raises(BackendError) as refused:
            await trainee.practice_compare()
        assert (refused.value.status, refused.value.code) == (403, "role_not_allowed")
    finally:
        await trainee.aclose()
        await mentor.aclose()
