"""The closed loop over the API: follow-ups, a field station's side, closing, agent state."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_session_api import error_of
from tests.api.test_tickets_api import client_for


def _iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_ticket(api: httpx.Client, **extra: object) -> dict:
    body = {"category": "heat.no_heat.partial", "summary": f"半热 {uuid.uuid4().hex[:6]}"}
    r = api.post("/tickets", json={**body, **extra}, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()


def test_station_moves_its_tickets_and_nothing_else(server: EmbeddedBackend) -> None:
    with client_for(server) as agent, client_for(server, "5001") as station:
        mine = new_ticket(agent, station_id="HS-XC", callback_due=_iso(timedelta(hours=2)))
        other = new_ticket(agent, station_id="HS-HM")
        assert mine["status"] == "dispatched"  # a station on save dispatches the ticket
        queue = [t["id"] for t in station.get("/station/tickets").json()["items"]]
        assert mine["id"] in queue and other["id"] not in queue
        assert station.get(f"/tickets/{other['id']}").status_code == 404
        skip = station.patch(f"/tickets/{mine['id']}", json={"status": "closed"})
        assert skip.status_code == 409 and "cannot move" in error_of(skip)["message"]
        step = station.patch(
            f"/tickets/{mine['id']}", json={"status": "in_progress", "note": "师傅已出发"}
        )
        assert step.status_code == 200 and step.json()["status"] == "in_progress"
        done = station.patch(
            f"/tickets/{mine['id']}", json={"status": "resolved", "note": "已排气"}
        )
        assert done.json()["status"] == "resolved"
        reprioritise = station.patch(f"/tickets/{mine['id']}", json={"priority": "urgent"})
        assert reprioritise.status_code == 409
        seen = agent.get(f"/tickets/{mine['id']}").json()
        assert "已排气" in seen["notes"]
        assert [h["agent_id"] for h in seen["history"]][-2:] == ["5001", "5001"]
        refused = station.post(
            "/tickets",
            json={"category": "heat.leak", "summary": "x"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert refused.status_code == 403


def test_followups_sorted_by_due_and_repeat_callers_counted(
    fresh_server: EmbeddedBackend,
) -> None:
    with client_for(fresh_server) as api:
        assert api.get("/callers/1").json()["tickets_30d"] == 0
        later = new_ticket(api, callback_due=_iso(timedelta(hours=3)), caller_id=1)
        overdue = new_ticket(api, callback_due=_iso(-timedelta(hours=1)), caller_id=1)
        new_ticket(api)  # no callback owed
        assert api.get("/callers/1").json()["tickets_30d"] == 2
        items = api.get("/tickets/followups").json()["items"]
        assert [(t["id"], t["overdue"]) for t in items] == [
            (overdue["id"], True),
            (later["id"], False),
        ]
        bad = api.post(
            "/tickets",
            json={"category": "heat", "summary": "x", "callback_due": "tomorrow-ish"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert bad.status_code == 422 and "callback_due" in error_of(bad)["fields"]


def test_closing_needs_satisfaction_and_a_comment(api: httpx.Client) -> None:
    t = new_ticket(api, station_id="HS-XC")
    for status in ("in_progress", "resolved", "called_back"):
        assert api.patch(f"/tickets/{t['id']}", json={"status": status}).status_code == 200
    no_comment = api.patch(f"/tickets/{t['id']}", json={"status": "closed", "satisfaction": 4})
    assert no_comment.status_code == 422
    assert "satisfaction_comment" in error_of(no_comment)["fields"]
    closed = api.patch(
        f"/tickets/{t['id']}",
        json={"status": "closed", "satisfaction": 4, "satisfaction_comment": "修好了，满意"},
    )
    assert closed.json()["status"] == "closed"
    assert closed.json()["satisfaction_comment"] == "修好了，满意"


def test_agent_state_round_trip_seen_by_a_supervisor(server: EmbeddedBackend) -> None:
    with client_for(server, "1002") as agent, client_for(server, "9001") as boss:
        missing = agent.put("/agents/me/state", json={"state": "not_ready"})
        assert missing.status_code == 422 and "reason" in error_of(missing)["fields"]
        r = agent.put("/agents/me/state", json={"state": "not_ready", "reason": "break"})
        assert r.status_code == 200 and r.json()["since"]
        seen = {s["agent_id"]: s for s in boss.get("/agents/states").json()["items"]}
        assert (seen["1002"]["state"], seen["1002"]["reason"]) == ("not_ready", "break")
        assert "5001" not in seen  # field-station staff have no seat
        agent.put("/agents/me/state", json={"state": "ready", "reason": "ignored"})
        seen = {s["agent_id"]: s for s in boss.get("/agents/states").json()["items"]}
        assert (seen["1002"]["state"], seen["1002"]["reason"]) == ("ready", "")
        assert agent.get("/agents/states").status_code == 403
