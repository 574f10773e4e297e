"""Review samples, scores and coaching on both engines, over the known closed tickets of
tests/api/quality_data.py (T1, T2 by agent 1001; T4 by 1002; T3 is open), and the loop
back into practice: an agent runs the scenario assigned to them, and the result shows
in their coaching and inside the review."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.quality_data import CAT_X, start_known
from tests.api.test_cti_api import Tap, wait_for
from tests.api.test_practice_api import a_debrief
from tests.conftest import API, DemoDatabase, login

RANGE = {"from": "2026-03-02", "to": "2026-03-03"}


@pytest.fixture(scope="module")
def known(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedBackend, dict[str, int]]]:
    # A quick heartbeat: an event tap (test_cti_api.Tap) ends at the next one.
    args = ["--events-heartbeat", "0.3"]
    backend, ids = start_known(demo_db, tmp_path_factory.mktemp("reviews"), args)
    yield backend, ids
    backend.stop()


@pytest.fixture(scope="module")
def as_(known: tuple[EmbeddedBackend, dict[str, int]]) -> Iterator[dict[str, httpx.Client]]:
    url = known[0].url
    clients = {
        who: httpx.Client(
            base_url=url + API, headers={"Authorization": f"Bearer {login(url, who)}"}, timeout=10
        )
        for who in ("9001", "1001", "1002", "2001")
    }
    yield clients
    for c in clients.values():
        c.close()


def code(r: httpx.Response) -> str:
    return str(r.json()["error"]["code"])


def practice_ticket(c: httpx.Client) -> httpx.Response:
    body = {"category": CAT_X, "summary": "practice", "area": "practice"}
    return c.post("/tickets", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})


def test_the_scorecard_and_the_scenarios_that_train_an_item(as_: dict[str, httpx.Client]) -> None:
    items = as_["1001"].get("/scorecard").json()["items"]
    assert [i["id"] for i in items][:2] == ["greeting", "identified"]
    assert items[0]["label"] == {"en": "Greeting used", "zh": "使用标准问候语"}
    assert items[0]["max"] == 2 and items[0]["trains"] == ["greeting"]
    found = as_["9001"].get("/scenarios/for-item/identified").json()["items"]
    assert "heat-forgot-account" in {s["id"] for s in found}
    assert "dir-exact-name" not in {s["id"] for s in found}  # no verification, no lookup
    assert as_["9001"].get("/scenarios/for-item/nope").status_code == 404
    assert as_["1001"].get("/scenarios/for-item/greeting").status_code == 403


def test_sample_score_coach_and_the_result_comes_back(
    known: tuple[EmbeddedBackend, dict[str, int]], as_: dict[str, httpx.Client]
) -> None:
    ids = known[1]
    boss, ann, bo = as_["9001"], as_["1001"], as_["1002"]
    assert ann.post("/reviews/sample", json={"per_agent": 1, **RANGE}).status_code == 403
    r = boss.post("/reviews/sample", json={"per_agent": 1, "seed": 7, **RANGE})
    assert r.status_code == 201, r.text
    first = {x["agent_id"]: x for x in r.json()["items"]}
    assert set(first) == {"1001", "1002"}  # T3 is not closed; one ticket each
    assert first["1001"]["ticket_id"] in (ids["T1"], ids["T2"])
    t4 = first["1002"]
    assert t4["ticket_id"] == ids["T4"] and t4["status"] == "open" and t4["scores"] == {}
    ticket = t4["ticket"]
    assert (ticket["satisfaction"], ticket["closed_at"]) == (4, "2026-03-03T16:00:00Z")
    assert ticket["summary"] == "quality T4" and ticket["category_name"]
    assert not {"caller_id", "caller_name", "phone"} & set(ticket)
    # Sampling again draws only what was never sampled: the other of T1/T2, then nothing.
    again = boss.post("/reviews/sample", json={"per_agent": 5, **RANGE}).json()["items"]
    assert [(x["agent_id"], x["ticket_id"]) for x in again] == [
        ("1001", ({ids["T1"], ids["T2"]} - {first["1001"]["ticket_id"]}).pop())
    ]
    assert boss.post("/reviews/sample", json={"per_agent": 5, **RANGE}).json()["items"] == []

    # Agents see their own only; supervisors everyone's.
    assert {x["ticket_id"] for x in bo.get("/reviews").json()["items"]} == {ids["T4"]}
    assert len(boss.get("/reviews").json()["items"]) == 3
    assert code(bo.get("/reviews", params={"agent_id": "1001"})) == "own_only"
    assert bo.get(f"/reviews/{first['1001']['id']}").status_code == 404
    assert bo.get(f"/reviews/{t4['id']}").json()["ticket_id"] == ids["T4"]

    # Scores 0..max per item, supervisors only.
    url = f"/reviews/{t4['id']}"
    for bad in ({"greeting": 3}, {"greeting": -1}, {"nope": 1}, {"greeting": "2"}):
        assert boss.put(url, json={"scores": bad}).status_code == 422, bad
    assert bo.put(url, json={"scores": {"greeting": 2}}).status_code == 403
    r = boss.put(url, json={"scores": {"greeting": 2, "identified": 0}, "comment": "verify"})
    assert r.status_code == 200, r.text
    scored = r.json()
    assert scored["status"] == "scored" and scored["reviewer_no"] == "9001"
    assert (scored["scores"], scored["comment"]) == ({"greeting": 2, "identified": 0}, "verify")
    assert [x["id"] for x in boss.get("/reviews", params={"status": "scored"}).json()["items"]] == [
        t4["id"]
    ]

    # Before any assignment an agent has no practice at all.
    assert code(bo.post("/practice/results", json=a_debrief())) == "not_assigned"
    assert code(practice_ticket(bo)) == "no_practice"
    # Coaching: a scenario that trains the item, for the review's agent.
    body = {"review_id": t4["id"], "item": "identified", "scenario_id": "dir-exact-name"}
    assert boss.post("/coaching", json=body).status_code == 422  # does not train it
    assert boss.post("/coaching", json={**body, "item": "nope"}).status_code == 422
    assert boss.post("/coaching", json={**body, "review_id": 999999}).status_code == 404
    assert bo.post("/coaching", json={**body, "item": "greeting"}).status_code == 403
    url_ = known[0].url
    with Tap(url_, "1002") as bo_hears, Tap(url_, "9001") as boss_hears:
        r = boss.post("/coaching", json={**body, "item": "greeting"})
        assert r.status_code == 201, r.text
        coaching = r.json()
        heard = wait_for(lambda: heard_of(bo_hears, "coaching_assigned"), "coaching_assigned")
        assert heard == [coaching]
        _check_the_run(as_, t4, coaching, boss_hears, bo_hears)


def heard_of(tap: Tap, kind: str) -> list[dict]:
    return [d for t, d in list(tap.seen) if t == kind]


def _check_the_run(
    as_: dict[str, httpx.Client], t4: dict, coaching: dict, boss_hears: Tap, bo_hears: Tap
) -> None:
    """The agent runs the assigned scenario; the result comes back everywhere."""
    boss, ann, bo = as_["9001"], as_["1001"], as_["1002"]
    assert (coaching["agent_id"], coaching["item"], coaching["scenario_id"]) == (
        "1002",
        "greeting",
        "dir-exact-name",
    )
    assert coaching["assigned_by_no"] == "9001" and coaching["result"] is None
    assert coaching["scenario_title"]
    audit = boss.get("/audit", params={"action": "coaching_assign"}).json()["items"]
    assert [(a["target"], a["detail"]) for a in audit] == [
        ("agent:1002", "greeting -> dir-exact-name")
    ]
    scored_audit = boss.get("/audit", params={"target": f"review:{t4['id']}"}).json()["items"]
    assert [a["action"] for a in scored_audit] == ["review_score"]
    assert [c["id"] for c in bo.get("/coaching").json()["items"]] == [coaching["id"]]
    assert ann.get("/coaching").json()["items"] == []
    assert code(ann.get("/coaching", params={"agent_id": "1002"})) == "own_only"

    # The agent runs it: practice tickets while it is open, only the assigned scenario.
    assert practice_ticket(bo).status_code == 201
    assert code(ann.post("/practice/results", json=a_debrief())) == "not_assigned"
    other = {**a_debrief(), "scenario_id": "heat-forgot-account"}
    assert code(bo.post("/practice/results", json=other)) == "not_assigned"
    r = bo.post("/practice/results", json=a_debrief())
    assert r.status_code == 201, r.text
    result = r.json()
    mine = bo.get("/coaching").json()["items"][0]["result"]
    assert mine == {
        "session_id": result["id"],
        "score": result["score"],
        "max_score": 100,
        "finished_at": result["created_at"],
    }
    assert boss.get(f"/reviews/{t4['id']}").json()["coaching"][0]["result"] == mine
    for tap in (boss_hears, bo_hears):
        done = wait_for(lambda tap=tap: heard_of(tap, "coaching_result"), "coaching_result")
        assert [d["result"] for d in done] == [mine]
    # Done: nothing of practice is open to the agent any more.
    assert code(bo.post("/practice/results", json=a_debrief())) == "not_assigned"
    assert code(practice_ticket(bo)) == "no_practice"
    assert code(bo.get("/practice/results")) == "role_not_allowed"
