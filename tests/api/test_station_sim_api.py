"""The demo's simulated field station, on a real server with short delays: a dispatched
ticket is taken in hand, then resolved, by the station's own account (the station rules
and the audit trail apply), and the ticket's owner hears of each move on the event stream.
Practice tickets and tickets not dispatched stay where they are; the server stops cleanly."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx

from agent_console.server.station_sim import load_notes
from tests.api.event_tap import EventTap
from tests.conftest import API, DemoDatabase, login, start_backend

STEP = 0.4  # seconds per station step: 0.27-0.53 s


def client(url: str, agent_id: str) -> httpx.Client:
    token = login(url, agent_id)
    return httpx.Client(base_url=url + API, headers={"Authorization": f"Bearer {token}"})


def new_ticket(api: httpx.Client, **body: object) -> dict:
    body = {"category": "heat.no_heat.partial", "summary": f"半热 {uuid.uuid4().hex[:6]}", **body}
    r = api.post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()


class Updates(EventTap):
    """The `ticket_updated` events on one agent's stream. The server's short heartbeat
    lets the thread notice it is done."""

    def __init__(self, api: httpx.Client) -> None:
        super().__init__(api, opens_within=10)

    def wait(self, wanted: set[tuple[int, str]], timeout: float) -> dict[tuple[int, str], dict]:
        deadline = time.monotonic() + timeout
        while True:
            got = {(e["ticket_id"], e["status"]): e for e in self.of("ticket_updated")}
            if wanted <= set(got):
                return got
            assert time.monotonic() < deadline, f"events seen: {got.keys()}, wanted {wanted}"
            time.sleep(0.05)


def test_station_works_dispatched_tickets_as_its_own_account(
    demo_db: DemoDatabase, tmp_path: Path
) -> None:
    workdir = tmp_path / "server"
    args = ["--station-every", str(STEP), "--log-level", "info", "--events-heartbeat", "0.2"]
    backend = start_backend(demo_db, workdir, args)
    try:
        with (
            client(backend.url, "1001") as agent,
            client(backend.url, "2003") as trainee,
            Updates(agent) as tap,
        ):
            on_save = new_ticket(agent, station_id="HS-HM")  # dispatched on save
            later = new_ticket(agent, category="heat.leak.in_flat")
            untouched = new_ticket(agent, category="heat.consult.payment")
            practice = new_ticket(trainee, station_id="HS-XC", area="practice")
            move = {"status": "dispatched", "station_id": "HS-XC"}
            assert agent.patch(f"/tickets/{later['id']}", json=move).status_code == 200
            steps = ("in_progress", "resolved")
            got = tap.wait({(t["id"], s) for t in (on_save, later) for s in steps}, 30)

            # Each station's own staff made the moves: HS-HM's 5002, HS-XC's 5001.
            notes = {n.zh for n in load_notes()}
            for ticket, staff in ((on_save, "5002"), (later, "5001")):
                for status in steps:
                    event = got[(ticket["id"], status)]
                    assert (event["by"], event["by_role"]) == (staff, "station")
                    assert event["note"] in notes
                seen = agent.get(f"/tickets/{ticket['id']}").json()
                assert seen["status"] == "resolved"
                moves = [(h["agent_id"], h["change"]) for h in seen["history"]][-2:]
                assert [(who, change["status"]) for who, change in moves] == [
                    (staff, ["dispatched", "in_progress"]),
                    (staff, ["in_progress", "resolved"]),
                ]
                assert f"{staff}] {moves[1][1]['note']}" in seen["notes"]
            # A leak gets a leak's words, not a cold radiator's.
            leak = got[(later["id"], "resolved")]["note"]
            assert "漏" in leak or "阀门已更换" in leak, leak

            # The callback finds it not fixed: back in progress, and the station works it
            # again.
            again = {"status": "in_progress", "note": "回访：还在漏"}
            assert agent.patch(f"/tickets/{later['id']}", json=again).status_code == 200
            tap.seen.clear()
            assert tap.wait({(later["id"], "resolved")}, 15)[(later["id"], "resolved")]["by"] == (
                "5001"
            )

            # Not dispatched, or in the practice area: the station never touches them. No
            # fixed sleep that passes when the station is merely slow: since both were
            # saved, the station has moved `later`, dispatched after them, three times.
            assert agent.get(f"/tickets/{untouched['id']}").json()["status"] == "new"
            assert trainee.get(f"/tickets/{practice['id']}").json()["status"] == "dispatched"
        process = backend.process
        assert process is not None
    finally:
        backend.stop()
    # It stops with the server: a clean exit, nothing left complaining in the log.
    assert process.returncode == 0
    log = (workdir / "server.log").read_text()
    assert "simulated station 5001: ticket" in log  # it ran, and said so
    assert "Traceback" not in log, log[-3000:]
