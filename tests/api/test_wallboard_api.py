"""The wallboard (GET /api/v1/wallboard) on a real server, on both engines: a known set of
CTI events posted to /api/v1/cti/{token} at known times (the server's clock is set from
the test through --clock-file), agents' own state changes and a ticket owing a callback,
and the figures the board shows for them, worked out by hand. Plus: who may read it
(a supervisor and the wall screen's own account; an agent may not)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_console.server.clock import iso
from tests.api.event_tap import EventTap
from tests.conftest import API, DemoDatabase, login, start_backend
from tests.cross_worker import wait_until

TOKEN = "cti-" + uuid.uuid4().hex
# 09:00 local time on a day long after the demo data's: nothing else happened that day.
NINE = datetime(2031, 3, 12, 9, 0).astimezone().astimezone(timezone.utc)


def t(seconds: float) -> str:
    """09:00 + `seconds`, as the server writes it."""
    return iso(NINE + timedelta(seconds=seconds))


@dataclass
class Board:
    """A server whose clock the test sets."""

    url: str
    clock: Path

    def at(self, seconds: float) -> str:
        """Set the server's clock to 09:00 + `seconds`; that instant, as ISO."""
        tmp = self.clock.with_suffix(".tmp")
        tmp.write_text(t(seconds))
        os.replace(tmp, self.clock)  # a new file: the server sees the change at once
        return t(seconds)

    def cti(self, **data: Any) -> None:
        r = httpx.post(f"{self.url}{API}/cti/{TOKEN}", data=data, timeout=15)
        assert (r.status_code, r.json()) == (200, {}), r.text

    def client(self, agent_id: str) -> httpx.Client:
        token = login(self.url, agent_id)
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.Client(base_url=self.url + API, headers=headers, timeout=15)


def Stream(board: Board, agent_id: str) -> EventTap:
    """One account's real event stream on the board's server."""
    return EventTap(board.client(agent_id))


@pytest.fixture(scope="module")
def board_server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Board]:
    work = tmp_path_factory.mktemp("wallboard")
    board = Board("", work / "clock")
    board.at(0)
    args = ["--cti-token", TOKEN, "--clock-file", str(board.clock), "--events-heartbeat", "0.3"]
    backend = start_backend(demo_db, work, args)
    board.url = backend.url
    yield board
    backend.stop()


def new_call(board: Board, ref: str, user: str) -> None:
    board.cti(event="newCall", callId=ref, direction="in", to="961655", **{"user[]": user},
              **{"from": "13900000042"})  # fmt: skip


def test_the_board_counts_a_known_morning(board_server: Board) -> None:
    b = board_server
    run = uuid.uuid4().hex[:8]
    c1, c2, c3, c4 = (f"{run}-{n}" for n in range(1, 5))
    li, gao, sup, wall = b.client("1001"), b.client("1002"), b.client("9001"), b.client("9900")
    # 1003 never signs in.
    b.at(0)
    with Stream(b, "1001") as phone:
        new_call(b, c1, "1001")  # 09:00:00
        pop = phone.first("the pop", lambda t, d: t == "incoming_call" and d["call_ref"] == c1)
    category = li.get("/ticket-categories").json()["items"][0]["id"]
    ticket = {"category": category, "summary": "no heating", "station_id": "HS-XC",
              "callback_due": t(600)}  # fmt: skip
    due = ticket["callback_due"]
    r = li.post("/tickets", json=ticket, headers={"Idempotency-Key": run})
    assert r.status_code == 201, r.text
    b.at(10)
    b.cti(event="answer", callId=c1, answeringNumber="1001")  # waited 10 s: within 20
    b.at(30)
    new_call(b, c2, "1002")
    b.at(60)
    b.cti(event="answer", callId=c2, answeringNumber="1002")  # waited 30 s
    b.at(120)
    new_call(b, c3, "1003")
    b.at(160)
    b.cti(event="hangup", callId=c3, cause="cancel")  # abandoned
    b.at(300)
    b.cti(event="hangup", callId=c1, cause="normalClearing")  # 1001 talked 290 s
    acw = {"state": "acw", "call_id": pop["call_id"]}
    assert li.put("/agents/me/state", json=acw).is_success
    b.at(360)
    assert li.put("/agents/me/state", json={"state": "ready"}).is_success  # 60 s ACW
    b.at(1200)
    new_call(b, c4, "1001")  # 09:20:00, still ringing
    b.at(1230)

    doc = sup.get("/wallboard").json()
    assert doc["at"] == t(1230) and doc["service_level_s"] == 20
    q = doc["queue"]
    assert (q["offered_today"], q["answered_today"], q["answered_within_sl"]) == (4, 2, 1)
    assert (q["service_level"], q["abandoned_today"]) == (0.25, 1)
    assert (q["ringing"], q["longest_wait_s"]) == (1, 30.0)
    # Slots from local midnight to 09:15-09:30: 38; 09:00 holds c1-c3, 09:15 holds c4.
    slots = q["per_15min"]
    assert len(slots) == 38 and slots[36]["at"] == iso(NINE)
    assert slots[36] == {"at": iso(NINE), "offered": 3, "answered": 2, "abandoned": 1}
    assert slots[37]["offered"] == 1 and sum(s["offered"] for s in slots) == 4

    agents = {a["agent_id"]: a for a in doc["agents"]}
    assert {"1001", "1002", "1003", "3001", "9001"} <= set(agents)
    assert not {"2001", "5001", "9900"} & set(agents)  # trainees, stations, the wall
    one = agents["1001"]
    assert (one["state"], one["state_since"], one["team"]) == ("ringing", t(1200), "A")
    assert (one["calls_today"], one["aht_s"], one["acw_s"]) == (1, 350.0, 60.0)
    assert one["callbacks_overdue"] == 1
    two = agents["1002"]
    assert (two["state"], two["call_started_at"], two["calls_today"]) == (
        "on_call", t(60), 1
    )  # fmt: skip
    assert two["aht_s"] is None  # still talking
    assert agents["1003"]["state"] == "signed_out"
    assert agents["9001"]["state"] == "ready"  # signed in, never reported a state
    assert doc["overdue_callbacks"] == [{"station": "HS-XC", "count": 1, "oldest_due": due}]
    assert "13900000042" not in str(doc)  # no caller data

    # Filters narrow the agents only; the wall screen reads the same board.
    ringing = sup.get("/wallboard", params={"state": "ringing"}).json()
    assert [a["agent_id"] for a in ringing["agents"]] == ["1001"]
    assert ringing["queue"] == q
    team_b = wall.get("/wallboard", params={"team": "B"}).json()["agents"]
    assert {a["agent_id"] for a in team_b} == {"1002", "3001"}
    hotline = wall.get("/wallboard", params={"hotline": "114"}).json()["agents"]
    assert [a["agent_id"] for a in hotline] == ["1003"]
    assert sup.get("/wallboard", params={"state": "asleep"}).status_code == 422
    for c in (li, gao, sup, wall):
        c.close()


def test_only_supervisors_and_the_wall_read_the_board(board_server: Board) -> None:
    for agent_id, status in (("9001", 200), ("9900", 200), ("1001", 403), ("3001", 403)):
        with board_server.client(agent_id) as c:
            assert c.get("/wallboard").status_code == status, agent_id
    with board_server.client("9900") as wall:
        assert wall.get("/auth/me").json()["role"] == "wall"
        assert wall.get("/agents/states").status_code == 403
        assert wall.get("/callers", params={"q": "a"}).status_code == 403


def test_board_events_reach_supervisors_and_the_wall_hears_nothing_else(
    board_server: Board,
) -> None:
    """A CTI event shows on a supervisor's stream as a `board` event (a partial board:
    the changed agents' rows, the queue); the wall screen's stream hears the board and
    nothing else (no screen-pop, no hand event, no caller data)."""
    b = board_server
    b.at(2 * 86400)  # two days on: the other test's day keeps its figures
    with b.client("9001") as sup_api:  # its call left ringing ends by the ring time-out
        wait_until(
            lambda: sup_api.get("/wallboard").json()["queue"]["ringing"] == 0, what="no ringing"
        )
    ref = uuid.uuid4().hex
    with Stream(b, "9001") as sup, Stream(b, "9900") as wall:
        new_call(b, ref, "1003")

        def rings(kind: str, data: dict) -> bool:
            rows = {a["agent_id"]: a for a in data.get("agents", [])}
            return kind == "board" and rows.get("1003", {}).get("state") == "ringing"

        event = sup.first("1003 ringing on the board", rings)
        assert set(event) >= {"at", "agents", "queue"} and event["queue"]["ringing"] >= 1
        assert {a["agent_id"] for a in event["agents"]} <= {"1003", "9001"}  # changed only
        assert event["at"] == t(2 * 86400)
        wall.first("1003 ringing on the wall", rings)
        b.cti(event="hangup", callId=ref, cause="cancel")

        def missed(kind: str, data: dict) -> bool:
            rows = {a["agent_id"]: a for a in data.get("agents", [])}
            return kind == "board" and rows.get("1003", {}).get("state") == "signed_out"

        assert sup.first("the hang-up on the board", missed)["queue"]["abandoned_today"] == 1
        wall.first("the hang-up on the wall", missed)
        with b.client("2001") as trainee:
            assert trainee.post("/practice/hands", json={"note": "help"}).status_code == 201
        sup.first("the hand event", lambda k, d: k == "hand_raised")
        hand = sup.first("the hand on the board", lambda k, d: bool(d.get("hands")))
        assert hand["hands"][0]["text"] == "help"
        # The trainee is not on the board: no row for them, and never an empty agents
        # list (a coalesced event may carry other agents' rows that changed meanwhile,
        # e.g. a call from the other test's day ended by the ring time-out's sweep).
        assert hand.get("agents", None) != []
        assert "2001" not in {a["agent_id"] for a in hand.get("agents", [])}
        wall.first("the hand on the wall", lambda k, d: bool(d.get("hands")))
        with b.client("2001") as trainee:
            trainee.delete(f"/practice/hands/{hand['hands'][0]['id']}")
    assert {kind for kind, _ in wall.seen} == {"board"}
    assert "13900000042" not in str(wall.seen)
