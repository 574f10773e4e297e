"""Seat security over HTTP: failed sign-ins are throttled (429, Retry-After), and
sign-ins, failures and role changes are in the audit log a supervisor reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from agent_console.backend_process import EmbeddedBackend
from agent_console.server.throttle import LoginThrottle
from tests.conftest import API, login


def attempt(url: str, agent_id: str, password: str) -> httpx.Response:
    return httpx.post(f"{url}{API}/auth/login", json={"agent_id": agent_id, "password": password})


def audit(url: str, **params: str) -> list[dict]:
    token = login(url, "9001")
    r = httpx.get(f"{url}{API}/audit", params=params, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_five_failures_lock_the_number_for_a_while(fresh_server: EmbeddedBackend) -> None:
    url = fresh_server.url
    for _ in range(5):
        assert attempt(url, "1003", "guess").status_code == 401
    locked = attempt(url, "1003", "demo")  # even the right password waits
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    error = locked.json()["error"]
    assert error["code"] == "too_many_attempts" and "1003" in error["message"]
    assert attempt(url, "1002", "demo").status_code == 200  # others sign in as usual
    entries = audit(url, target="1003")
    actions = [e["action"] for e in entries]
    assert actions.count("login_failed") == 5 and "login_throttled" in actions
    assert all(e["agent_id"] is None for e in entries)  # a failure proves no identity


def test_a_success_starts_the_count_again(fresh_server: EmbeddedBackend) -> None:
    url = fresh_server.url
    for _ in range(4):
        attempt(url, "1002", "guess")
    assert attempt(url, "1002", "demo").status_code == 200
    for _ in range(4):
        assert attempt(url, "1002", "guess").status_code == 401
    assert attempt(url, "1002", "demo").status_code == 200


def test_role_changes_are_for_supervisors_and_audited(fresh_server: EmbeddedBackend) -> None:
    url = fresh_server.url
    as_agent = {"Authorization": f"Bearer {login(url, '1001')}"}
    r = httpx.patch(f"{url}{API}/agents/1003/role", json={"role": "mentor"}, headers=as_agent)
    assert r.status_code == 403
    as_supervisor = {"Authorization": f"Bearer {login(url, '9001')}"}
    r = httpx.patch(f"{url}{API}/agents/1003/role", json={"role": "mentor"}, headers=as_supervisor)
    assert r.status_code == 200 and r.json()["role"] == "mentor"
    r = httpx.patch(f"{url}{API}/agents/1003/role", json={"role": "boss"}, headers=as_supervisor)
    assert r.status_code == 422 and "role" in r.json()["error"]["fields"]
    (entry,) = audit(url, action="role_change", target="1003")
    assert entry["agent_id"] == "9001" and entry["detail"] == "agent -> mentor"
    me = httpx.get(f"{url}{API}/auth/me", headers={"Authorization": f"Bearer {login(url, '1003')}"})
    assert me.json()["role"] == "mentor"


def test_the_throttle_waits_until_the_fifth_newest_failure_leaves_the_window() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    throttle = LoginThrottle(limit=5, window=timedelta(minutes=15))
    minutes_ago = [1, 2, 3, 4, 10]
    failures = [now - timedelta(minutes=m) for m in minutes_ago]
    assert throttle.retry_after(failures, now) == 5 * 60  # the one 10 min ago frees at +5
    assert throttle.retry_after(failures[:4], now) is None
    old = [now - timedelta(minutes=m) for m in (16, 17, 18, 19, 20)]
    assert throttle.retry_after(old, now) is None
    assert throttle.retry_after(failures + old, now) == 5 * 60
