"""Tickets: exactly once per Idempotency-Key, the closed loop, practice isolation."""

from __future__ import annotations

import uuid

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_session_api import error_of
from tests.conftest import API, login


def client_for(server: EmbeddedBackend, agent_id: str = "1001") -> httpx.Client:
    return httpx.Client(
        base_url=server.url + API,
        headers={"Authorization": f"Bearer {login(server.url, agent_id)}"},
    )


def ticket_body(**extra: object) -> dict:
    return {"category": "heat.no_heat.partial", "summary": "暖气半热半凉", **extra}


def test_same_key_twice_makes_one_ticket(fresh_server: EmbeddedBackend) -> None:
    with client_for(fresh_server) as api:
        key = str(uuid.uuid4())
        first = api.post("/tickets", json=ticket_body(), headers={"Idempotency-Key": key})
        again = api.post("/tickets", json=ticket_body(), headers={"Idempotency-Key": key})
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"]
        assert again.headers["idempotent-replayed"] == "true"
        assert len(api.get("/tickets").json()["items"]) == 1


def test_same_key_with_another_body_is_refused(fresh_server: EmbeddedBackend) -> None:
    with client_for(fresh_server) as api:
        key = str(uuid.uuid4())
        api.post("/tickets", json=ticket_body(), headers={"Idempotency-Key": key})
        other = api.post(
            "/tickets", json=ticket_body(summary="另一件事"), headers={"Idempotency-Key": key}
        )
        assert other.status_code == 422
        assert error_of(other)["code"] == "idempotency_key_reused"


def test_a_ticket_without_a_key_is_refused(api: httpx.Client) -> None:
    r = api.post("/tickets", json=ticket_body())
    assert r.status_code == 400
    assert error_of(r)["code"] == "idempotency_key_required"


def test_unknown_category_is_explained_on_its_field(api: httpx.Client) -> None:
    r = api.post(
        "/tickets",
        json=ticket_body(category="heat.nope"),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code == 422
    assert "category" in error_of(r)["fields"]


def test_closed_loop_transitions_and_audit_trail(api: httpx.Client) -> None:
    t = api.post(
        "/tickets", json=ticket_body(), headers={"Idempotency-Key": str(uuid.uuid4())}
    ).json()
    skip = api.patch(f"/tickets/{t['id']}", json={"status": "closed"})
    assert skip.status_code == 409
    assert error_of(skip)["code"] == "invalid_transition"
    no_station = api.patch(f"/tickets/{t['id']}", json={"status": "dispatched"})
    assert no_station.status_code == 422 and "station_id" in error_of(no_station)["fields"]
    moves = [{"status": "dispatched", "station_id": "HS-XC"}]
    moves += [{"status": s} for s in ("in_progress", "resolved", "called_back")]
    for move in moves:
        assert api.patch(f"/tickets/{t['id']}", json=move).status_code == 200
    no_score = api.patch(f"/tickets/{t['id']}", json={"status": "closed"})
    assert no_score.status_code == 422 and "satisfaction" in error_of(no_score)["fields"]
    done = api.patch(
        f"/tickets/{t['id']}", json={"status": "closed", "satisfaction": 5, "note": "回访满意"}
    )
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "closed" and body["satisfaction"] == 5 and "回访满意" in body["notes"]
    history = api.get(f"/tickets/{t['id']}").json()["history"]
    assert [h["change"].get("status", [None, None])[1] for h in history][:6] == [
        "new",
        "dispatched",
        "in_progress",
        "resolved",
        "called_back",
        "closed",
    ]
    assert all(h["agent_id"] == "1001" for h in history)


def test_trainee_cannot_write_production_and_practice_stays_apart(
    fresh_server: EmbeddedBackend,
) -> None:
    with client_for(fresh_server, "2001") as trainee, client_for(fresh_server) as agent:
        refused = trainee.post("/tickets", json=ticket_body(), headers={"Idempotency-Key": "k1"})
        assert refused.status_code == 403
        ok = trainee.post(
            "/tickets", json=ticket_body(area="practice"), headers={"Idempotency-Key": "k2"}
        )
        assert ok.status_code == 201
        assert [t["id"] for t in trainee.get("/tickets").json()["items"]] == [ok.json()["id"]]
        assert agent.get("/tickets").json()["items"] == []
        assert agent.get(f"/tickets/{ok.json()['id']}").status_code == 404
