"""The ring time-out (`--ring-timeout-s`) on a real server, on both engines (PostgreSQL
with `--workers 2`, both workers sweeping): a call offered over CTI whose answer and
hangup never come ends as a missed call, once, with the `call_ended` a hangup gives,
in the caller log and as abandoned on the wallboard; an answered call and a call
younger than the time-out are left alone. The server's clock is set from the test
(`--clock-file`), so "70 seconds later" takes no 70 seconds."""

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

TOKEN = "cti-" + uuid.uuid4().hex
# 10:00 local time on a day no other call happened (the board counts "today").
TEN = datetime(2033, 5, 4, 10, 0).astimezone().astimezone(timezone.utc)


@dataclass
class Pbx:
    url: str
    clock: Path

    def at(self, seconds: float) -> None:
        """Set the server's clock to 10:00 + `seconds` (a new file: seen at once)."""
        tmp = self.clock.with_suffix(".tmp")
        tmp.write_text(iso(TEN + timedelta(seconds=seconds)))
        os.replace(tmp, self.clock)

    def cti(self, **data: Any) -> None:
        r = httpx.post(f"{self.url}{API}/cti/{TOKEN}", data=data, timeout=15)
        assert (r.status_code, r.json()) == (200, {}), r.text

    def new_call(self, ref: str, *users: str) -> None:
        self.cti(event="newCall", callId=ref, direction="in", to="961655",
                 **{"user[]": list(users), "from": "13900000077"})  # fmt: skip

    def client(self, agent_id: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {login(self.url, agent_id)}"}
        return httpx.Client(base_url=self.url + API, headers=headers, timeout=15)


@pytest.fixture
def pbx(db_engine: str, demo_db: DemoDatabase, tmp_path: Path) -> Iterator[Pbx]:
    work = tmp_path / "server"
    work.mkdir()
    p = Pbx("", work / "clock")
    p.at(0)
    args = ["--cti-token", TOKEN, "--clock-file", str(p.clock), "--ring-timeout-s", "60"]
    args += ["--events-heartbeat", "0.3"]
    if db_engine == "postgres":
        args += ["--workers", "2"]  # two sweepers racing for each call
    backend = start_backend(demo_db, work, args)
    p.url = backend.url
    yield p
    backend.stop()


def ended(tap: EventTap, ref: str) -> dict[str, Any]:
    return tap.first(
        f"call_ended for {ref}", lambda t, d: t == "call_ended" and d["call_ref"] == ref, 20
    )


def test_a_call_whose_hangup_never_comes_ends_as_missed_once(pbx: Pbx) -> None:
    lost, young, talking = (f"{uuid.uuid4().hex[:8]}-{n}" for n in ("lost", "young", "talk"))
    li, sup = pbx.client("1001"), pbx.client("9001")
    with EventTap(pbx.client("1001")) as one, EventTap(pbx.client("1002")) as two:
        pbx.new_call(lost, "1001", "1002")  # 10:00:00, the PBX then loses the hangup
        pbx.new_call(talking, "1003")
        pbx.cti(event="answer", callId=talking, answeringNumber="1003")
        pbx.at(30)
        pbx.new_call(young, "1001")  # 10:00:30
        pbx.at(70)  # lost has rung 70 s, young 40 s (time-out 60)
        first, other = ended(one, lost), ended(two, lost)
        assert first == other
        assert (first["cause"], first["answered"], first["agent_id"]) == ("noAnswer", False, None)
        assert first["at"] == iso(TEN + timedelta(seconds=70))
        missed = {m["call_ref"]: m for m in li.get("/calls/missed").json()["items"]}
        assert lost in missed and young not in missed and talking not in missed
        assert missed[lost]["cause"] == "noAnswer" and missed[lost]["rang_agents"] == [
            "1001",
            "1002",
        ]
        queue = sup.get("/wallboard").json()["queue"]
        assert (queue["ringing"], queue["abandoned_today"]) == (1, 1)  # young rings on
        # The answered call's length by the server's clock, for a console taking it up.
        with pbx.client("1003") as on_it:
            current = on_it.get("/calls/current").json()["call"]
        assert (current["call_ref"], current["answered_seconds_ago"]) == (talking, 70.0)

        pbx.at(95)  # young has rung 65 s
        assert ended(one, young)["cause"] == "noAnswer"
        # The PBX's hangup comes after all: nothing changes, nobody is told again.
        pbx.cti(event="hangup", callId=lost, cause="cancel")
        pbx.new_call(uuid.uuid4().hex, "1001")  # a marker after the late hangup
        one.first("the marker", lambda t, d: t == "incoming_call" and d["call_ref"] not in
                  (lost, young))  # fmt: skip
        # young ended in a later sweep than lost, with the clock past both time-outs:
        # a sweep that ended lost twice would have told the agents by now.
        assert [d["call_ref"] for d in one.of("call_ended")].count(lost) == 1
        assert [d["call_ref"] for d in two.of("call_ended")].count(lost) == 1
        assert [d["call_ref"] for d in one.of("call_ended")].count(young) == 1
        assert talking not in [d["call_ref"] for d in one.of("call_ended")]
    queue = sup.get("/wallboard").json()["queue"]
    assert (queue["offered_today"], queue["answered_today"]) == (4, 1)
    assert queue["abandoned_today"] == 2
    missed = {m["call_ref"]: m for m in li.get("/calls/missed").json()["items"]}
    assert missed[lost]["cause"] == "noAnswer"  # not the late hangup's "cancel"
    # The answered call is still 1003's to end (no time-out on a call in progress).
    gao = pbx.client("1003")
    board = {a["agent_id"]: a for a in sup.get("/wallboard").json()["agents"]}
    assert board["1003"]["state"] == "on_call"
    for c in (li, sup, gao):
        c.close()
