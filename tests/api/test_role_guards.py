"""Two guards of issue 14: the last supervisor cannot be demoted (nobody could change
roles after), and a seat's state names only the agent's own call (wrap-up above all)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_session_api import error_of
from tests.conftest import API, login


def client_for(url: str, agent_id: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {login(url, agent_id)}"}
    return httpx.Client(base_url=url + API, headers=headers, timeout=10)


@pytest.fixture
def people(fresh_server: EmbeddedBackend) -> Iterator[dict[str, httpx.Client]]:
    clients = {who: client_for(fresh_server.url, who) for who in ("9001", "1001", "1002")}
    yield clients
    for c in clients.values():
        c.close()


def role_of(boss: httpx.Client, agent_id: str) -> str:
    found = boss.get("/audit", params={"action": "role_change", "target": agent_id}).json()
    return found["items"][0]["detail"] if found["items"] else ""


def test_the_last_supervisor_cannot_be_demoted(people: dict[str, httpx.Client]) -> None:
    boss = people["9001"]
    r = boss.patch("/agents/9001/role", json={"role": "agent"})
    assert r.status_code == 409
    error = error_of(r)
    assert error["code"] == "conflict" and "last supervisor" in error["message"]
    assert boss.get("/auth/me").json()["role"] == "supervisor"
    assert role_of(boss, "9001") == ""  # nothing changed, nothing recorded
    # With a second supervisor the first may step down, and then the second may not.
    assert boss.patch("/agents/1002/role", json={"role": "supervisor"}).status_code == 200
    r = boss.patch("/agents/9001/role", json={"role": "mentor"})
    assert r.status_code == 200 and r.json()["role"] == "mentor"
    r = people["1002"].patch("/agents/1002/role", json={"role": "agent"})
    assert r.status_code == 409 and "last supervisor" in error_of(r)["message"]


def test_wrap_up_takes_only_the_agents_own_call(people: dict[str, httpx.Client]) -> None:
    boss, mine, theirs = people["9001"], people["1001"], people["1002"]
    call = boss.post("/calls/simulate", json={"agent_id": "1001", "unknown": True})
    assert call.status_code == 201, call.text
    call_id = call.json()["id"]
    wrap = {"state": "ready", "call_id": call_id, "wrap_up": "resolved"}
    r = theirs.put("/agents/me/state", json=wrap)
    assert r.status_code == 403 and error_of(r)["code"] == "not_your_call"
    r = theirs.put("/agents/me/state", json={**wrap, "call_id": call_id + 1000})
    assert r.status_code == 404
    r = theirs.put("/agents/me/state", json={"state": "on_call", "call_id": call_id})
    assert r.status_code == 403
    r = mine.put("/agents/me/state", json=wrap)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "ready"
