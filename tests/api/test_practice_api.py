"""The practice API on a real server: results from a real debrief, progress and
comparison, raised hands, mentor hints, room activity, and who may see what."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.practice import CallEnded, HitOpened, ScriptSaid, SmsSent
from tests.api.test_session_api import error_of
from tests.conftest import API, DemoDatabase, login, start_backend
from tests.practice.helpers import engine_for, wait

TRAINEE, OTHER_TRAINEE, THIRD_TRAINEE = "2001", "2002", "2003"
MENTOR, SUPERVISOR, AGENT = "3001", "9001", "1001"


@pytest.fixture(scope="module")
def practice_server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """This module's own backend: hands and results are shared state."""
    backend = start_backend(demo_db, tmp_path_factory.mktemp("practice"))
    yield backend
    backend.stop()


@pytest.fixture(scope="module")
def as_(practice_server: EmbeddedBackend) -> Iterator[dict[str, httpx.Client]]:
    """A signed-in client per demo person."""
    clients = {
        who: httpx.Client(
            base_url=practice_server.url + API,
            headers={"Authorization": f"Bearer {login(practice_server.url, who)}"},
        )
        for who in (TRAINEE, OTHER_TRAINEE, THIRD_TRAINEE, MENTOR, SUPERVISOR, AGENT)
    }
    yield clients
    for client in clients.values():
        client.close()


def a_debrief(score_all: bool = True) -> dict:
    """A real debrief from the engine: dir-exact-name, played fully or half."""
    engine, clock = engine_for("dir-exact-name")
    engine.start()
    wait(engine, clock, 2)
    engine.feed(ScriptSaid("greeting", "1", "您好，2001号为您服务"))
    wait(engine, clock, 5)
    engine.feed(HitOpened("listing", "0471-5455440", "initials"))
    if score_all:
        wait(engine, clock, 3)
        engine.feed(SmsSent("directory", "0471-5455440", "呼和浩特东站 0471-5455440"))
        engine.feed(ScriptSaid("closing", "9", "感谢您的来电，再见！"))
    engine.feed(CallEnded())
    return engine.debrief().to_json(drill_id="drill-1")


# -- results ------------------------------------------------------------------------
def test_a_trainee_stores_a_real_debrief_and_reads_it_back(as_: dict[str, httpx.Client]) -> None:
    body = a_debrief()
    r = as_[TRAINEE].post("/practice/results", json=body)
    assert r.status_code == 201, r.text
    stored = r.json()
    assert (stored["trainee_id"], stored["trainee_name"], stored["score"]) == (
        TRAINEE,
        "张晓雨",
        100,
    )
    assert [i["id"] for i in stored["items"]] == [i["id"] for i in body["items"]]
    assert stored["items"][1] == body["items"][1]
    mine = as_[TRAINEE].get("/practice/results").json()["items"]
    assert stored["id"] in [x["id"] for x in mine]
    assert all(x["trainee_id"] == TRAINEE for x in mine)
    detail = as_[TRAINEE].get(f"/practice/results/{stored['id']}").json()
    assert detail["timeline"] == body["timeline"] and detail["drill_id"] == "drill-1"


def test_only_trainees_record_and_they_see_only_their_own(as_: dict[str, httpx.Client]) -> None:
    for who in (AGENT, MENTOR):
        # An agent records only a scenario assigned to them (coaching: test_reviews_api).
        r = as_[who].post("/practice/results", json=a_debrief())
        assert r.status_code == 403 and error_of(r)["code"] == "not_assigned"
    theirs = as_[TRAINEE].post("/practice/results", json=a_debrief()).json()
    assert error_of(as_[AGENT].get("/practice/results"))["code"] == "role_not_allowed"
    r = as_[OTHER_TRAINEE].get("/practice/results", params={"trainee": TRAINEE})
    assert r.status_code == 403 and error_of(r)["code"] == "own_only"
    assert as_[OTHER_TRAINEE].get(f"/practice/results/{theirs['id']}").status_code == 403
    assert as_[AGENT].get(f"/practice/results/{theirs['id']}").status_code == 403
    assert as_[TRAINEE].get("/practice/results/999999").status_code == 404
    for who in (MENTOR, SUPERVISOR):
        picked = as_[who].get("/practice/results", params={"trainee": TRAINEE}).json()["items"]
        assert theirs["id"] in [x["id"] for x in picked]
        assert as_[who].get(f"/practice/results/{theirs['id']}").status_code == 200


def test_a_bad_result_is_refused_field_by_field(as_: dict[str, httpx.Client]) -> None:
    body = a_debrief()
    bad = {**body, "score": 101, "scenario_id": "Not An Id", "surprise": 1}
    r = as_[TRAINEE].post("/practice/results", json=bad)
    assert r.status_code == 422
    assert {"score", "scenario_id", "surprise"} <= set(error_of(r)["fields"])
    twice = {**body, "items": [body["items"][0], body["items"][0]]}
    assert as_[TRAINEE].post("/practice/results", json=twice).status_code == 422


@pytest.fixture
def own(fresh_server: EmbeddedBackend) -> Iterator[dict[str, httpx.Client]]:
    """Clients on a backend of this test's own: progress counts every stored result."""
    clients = {
        who: httpx.Client(
            base_url=fresh_server.url + API,
            headers={"Authorization": f"Bearer {login(fresh_server.url, who)}"},
        )
        for who in (OTHER_TRAINEE, THIRD_TRAINEE, MENTOR, AGENT)
    }
    yield clients
    for client in clients.values():
        client.close()


def test_progress_shows_where_a_trainee_loses_time(own: dict[str, httpx.Client]) -> None:
    as_ = own

    def item(ident: str, skill: str, met: bool, took: float | None) -> dict:
        return {"id": ident, "label": ident, "skill": skill, "weight": 25, "met": met,
                "at_s": took, "took_s": took, "why": "" if met else "not_done"}  # fmt: skip

    for score, lookup_took, closed in ((50, 40.0, False), (75, 20.0, True)):
        body = {
            "scenario_id": "heat-forgot-account",
            "title": "Forgotten account number",
            "score": score,
            "duration_s": 90,
            "par_s": 60,
            "keystrokes": 56,
            "fastest_keystrokes": 28,
            "hints": 2,
            "items": [
                item("greeting", "greeting", True, 3.0),
                item("found-caller", "lookup", True, lookup_took),
                item("closing", "closing", closed, 5.0 if closed else None),
            ],
        }
        assert as_[THIRD_TRAINEE].post("/practice/results", json=body).status_code == 201
    p = as_[THIRD_TRAINEE].get("/practice/progress").json()
    assert (p["trainee_id"], p["results"], p["mean_score"], p["trend"]) == (
        THIRD_TRAINEE, 2, 62.5, [50, 75],
    )  # fmt: skip
    assert p["mean_over_par_s"] == 30.0 and p["keystroke_ratio"] == 2.0
    slowest = p["where_time_goes"][0]
    assert (slowest["item_id"], slowest["mean_took_s"], slowest["attempts"]) == (
        "found-caller", 30.0, 2,
    )  # fmt: skip
    assert p["skills"][0] | {"mean_took_s": 0} == {
        "skill": "closing", "attempts": 2, "missed": 1, "miss_rate": 0.5, "mean_took_s": 0,
    }  # fmt: skip
    assert as_[MENTOR].get("/practice/progress", params={"trainee": THIRD_TRAINEE}).json() == p
    assert as_[MENTOR].get("/practice/progress").status_code == 422
    assert as_[AGENT].get("/practice/progress").status_code == 403
    other = as_[OTHER_TRAINEE].get("/practice/progress", params={"trainee": THIRD_TRAINEE})
    assert other.status_code == 403


def test_mentors_compare_trainees(as_: dict[str, httpx.Client]) -> None:
    as_[OTHER_TRAINEE].post("/practice/results", json=a_debrief(score_all=False))
    as_[TRAINEE].post("/practice/results", json=a_debrief())
    r = as_[MENTOR].get("/practice/compare", params={"trainees": f"{OTHER_TRAINEE},{TRAINEE}"})
    rows = {row["trainee_id"]: row for row in r.json()["items"]}
    assert set(rows) == {OTHER_TRAINEE, TRAINEE}
    assert rows[OTHER_TRAINEE]["last_score"] == 60  # greeting 15 + found 45
    assert rows[OTHER_TRAINEE]["weakest_skill"] in ("sms", "closing")
    assert rows[TRAINEE]["mean_score"] == 100
    everyone = as_[SUPERVISOR].get("/practice/compare").json()["items"]
    assert {row["trainee_id"] for row in everyone} == {TRAINEE, OTHER_TRAINEE, THIRD_TRAINEE}
    assert as_[TRAINEE].get("/practice/compare").status_code == 403
    assert as_[MENTOR].get("/practice/compare", params={"trainees": "4242"}).status_code == 422


# -- raised hands -------------------------------------------------------------------
def test_a_raised_hand_reaches_the_mentors_and_is_lowered(as_: dict[str, httpx.Client]) -> None:
    up = as_[OTHER_TRAINEE].post(
        "/practice/hands", json={"scenario_id": "heat-half-hot", "step": "1:opening"}
    )
    assert up.status_code == 201
    hand = up.json()
    again = as_[OTHER_TRAINEE].post(
        "/practice/hands", json={"scenario_id": "heat-half-hot", "step": "2:identity"}
    )
    assert again.status_code == 200  # one hand per trainee: the step is updated
    assert (again.json()["id"], again.json()["step"]) == (hand["id"], "2:identity")
    open_hands = as_[MENTOR].get("/practice/hands").json()["items"]
    mine = next(h for h in open_hands if h["id"] == hand["id"])
    assert (mine["trainee_name"], mine["status"]) == ("陈思远", "raised")
    assert as_[AGENT].get("/practice/hands").status_code == 403
    assert as_[MENTOR].post("/practice/hands", json={}).status_code == 403
    assert as_[TRAINEE].delete(f"/practice/hands/{hand['id']}").status_code == 403
    taken = as_[MENTOR].patch(f"/practice/hands/{hand['id']}", json={"status": "taken"})
    assert (taken.json()["status"], taken.json()["mentor_id"]) == ("taken", MENTOR)
    r = as_[OTHER_TRAINEE].patch(f"/practice/hands/{hand['id']}", json={"status": "answered"})
    assert r.status_code == 403
    assert as_[OTHER_TRAINEE].delete(f"/practice/hands/{hand['id']}").status_code == 204
    assert as_[OTHER_TRAINEE].delete(f"/practice/hands/{hand['id']}").status_code == 409
    assert hand["id"] not in [h["id"] for h in as_[MENTOR].get("/practice/hands").json()["items"]]
    history = as_[OTHER_TRAINEE].get("/practice/hands", params={"open": "false"}).json()["items"]
    assert [h["status"] for h in history if h["id"] == hand["id"]] == ["lowered"]
    assert as_[MENTOR].delete("/practice/hands/999999").status_code == 404


# -- mentor hints -------------------------------------------------------------------
def test_a_mentor_hint_answers_the_hand_and_waits_until_seen(
    as_: dict[str, httpx.Client],
) -> None:
    hand = as_[TRAINEE].post("/practice/hands", json={"scenario_id": "dir-initials"}).json()
    text = "试试拼音首字母：hhhtskqyy"
    sent = as_[MENTOR].post(
        "/practice/hints", json={"trainee_id": TRAINEE, "text": text, "hand_id": hand["id"]}
    )
    assert sent.status_code == 201
    hint = sent.json()
    assert (hint["mentor_name"], hint["seen_at"]) == ("赵晓红", None)
    answered = next(
        h
        for h in as_[TRAINEE].get("/practice/hands", params={"open": "false"}).json()["items"]
        if h["id"] == hand["id"]
    )
    assert (answered["status"], answered["mentor_id"]) == ("answered", MENTOR)
    unseen = as_[TRAINEE].get("/practice/hints", params={"unseen": "true"}).json()["items"]
    assert [(h["id"], h["text"]) for h in unseen] == [(hint["id"], text)]
    assert (
        as_[OTHER_TRAINEE].patch(f"/practice/hints/{hint['id']}", json={"seen": True}).status_code
        == 403
    )
    seen = as_[TRAINEE].patch(f"/practice/hints/{hint['id']}", json={"seen": True}).json()
    assert seen["seen_at"] is not None
    assert as_[TRAINEE].get("/practice/hints", params={"unseen": "true"}).json()["items"] == []
    after = as_[TRAINEE].get("/practice/hints", params={"after": hint["id"]}).json()["items"]
    assert after == []
    assert as_[OTHER_TRAINEE].get("/practice/hints").json()["items"] == []
    sent_by_me = as_[MENTOR].get("/practice/hints", params={"trainee": TRAINEE}).json()["items"]
    assert hint["id"] in [h["id"] for h in sent_by_me]


def test_hints_go_only_from_mentors_to_trainees(as_: dict[str, httpx.Client]) -> None:
    r = as_[TRAINEE].post("/practice/hints", json={"trainee_id": OTHER_TRAINEE, "text": "hi"})
    assert r.status_code == 403 and error_of(r)["code"] == "role_not_allowed"
    assert as_[AGENT].get("/practice/hints").status_code == 403
    r = as_[MENTOR].post("/practice/hints", json={"trainee_id": AGENT, "text": "hi"})
    assert r.status_code == 422 and "trainee_id" in error_of(r)["fields"]
    hand = as_[THIRD_TRAINEE].post("/practice/hands", json={}).json()
    r = as_[MENTOR].post(
        "/practice/hints", json={"trainee_id": OTHER_TRAINEE, "text": "hi", "hand_id": hand["id"]}
    )
    assert r.status_code == 422 and "hand_id" in error_of(r)["fields"]
    as_[THIRD_TRAINEE].delete(f"/practice/hands/{hand['id']}")
    r = as_[OTHER_TRAINEE].get("/practice/hints", params={"trainee": TRAINEE})
    assert r.status_code == 403


# -- the room -----------------------------------------------------------------------
def test_mentors_see_what_every_trainee_is_doing(as_: dict[str, httpx.Client]) -> None:
    body = {"scenario_id": "heat-night-leak", "title": "Night leak", "step": "2:where-valve"}
    r = as_[THIRD_TRAINEE].put("/practice/activity", json=body)
    assert r.status_code == 200 and r.json()["step"] == "2:where-valve"
    room = {row["trainee_id"]: row for row in as_[MENTOR].get("/practice/activity").json()["items"]}
    assert set(room) == {TRAINEE, OTHER_TRAINEE, THIRD_TRAINEE}
    assert (room[THIRD_TRAINEE]["scenario_id"], room[THIRD_TRAINEE]["trainee_name"]) == (
        "heat-night-leak", "其其格",
    )  # fmt: skip
    assert as_[TRAINEE].get("/practice/activity").status_code == 403
    assert as_[MENTOR].put("/practice/activity", json=body).status_code == 403


def test_practice_writes_never_reach_production_lists(as_: dict[str, httpx.Client]) -> None:
    ticket = {"category": "dir.missing", "summary": "青城宠物医院 大学西街", "area": "practice"}
    made = as_[TRAINEE].post(
        "/tickets", json=ticket, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert made.status_code == 201
    sms = as_[TRAINEE].post(
        "/sms",
        json={"to": "13500471288", "text": "0471-5455440", "kind": "directory", "area": "practice"},
    )
    assert sms.status_code == 201
    production = as_[TRAINEE].post(
        "/tickets",
        json={**ticket, "area": "production"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert production.status_code == 403
    assert made.json()["id"] not in [t["id"] for t in as_[AGENT].get("/tickets").json()["items"]]
    assert sms.json()["id"] not in [s["id"] for s in as_[AGENT].get("/sms").json()["items"]]
    assert made.json()["id"] in [t["id"] for t in as_[TRAINEE].get("/tickets").json()["items"]]
