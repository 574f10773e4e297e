"""A session the server has just read is remembered for a moment (server/
session_cache.py); whatever ends a session or changes a role in this process counts
at once all the same, on both engines: the request right after it is judged anew."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_remembered_token_is_refused_right_after_its_sign_out(server: EmbeddedBackend) -> None:
    url, token = server.url, login(server.url, "1002")
    for _ in range(3):  # read once, then remembered
        r = httpx.get(f"{url}{API}/callers", params={"q": "王"}, headers=bearer(token))
        assert r.status_code == 200
    assert httpx.post(f"{url}{API}/auth/logout", headers=bearer(token)).status_code == 204
    r = httpx.get(f"{url}{API}/callers", params={"q": "王"}, headers=bearer(token))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


def test_a_role_change_counts_at_once_for_a_remembered_token(server: EmbeddedBackend) -> None:
    url = server.url
    boss = httpx.Client(base_url=url + API, headers=bearer(login(url, "9001")), timeout=10)
    mentor = httpx.Client(base_url=url + API, headers=bearer(login(url, "3001")), timeout=10)
    try:
        for _ in range(2):
            assert mentor.get("/agents/states").status_code == 200  # mentors only
        assert boss.patch("/agents/3001/role", json={"role": "agent"}).status_code == 200
        r = mentor.get("/agents/states")
        assert r.status_code == 403, r.text
        assert mentor.get("/auth/me").json()["role"] == "agent"
    finally:
        assert boss.patch("/agents/3001/role", json={"role": "mentor"}).status_code == 200
        boss.close()
        mentor.close()


def test_a_seat_signed_out_by_a_supervisor_loses_its_remembered_tokens(
    server: EmbeddedBackend,
) -> None:
    url = server.url
    tokens = [login(url, "2003"), login(url, "2003")]
    for token in tokens:
        assert httpx.get(f"{url}{API}/auth/me", headers=bearer(token)).status_code == 200
    boss = bearer(login(url, "9001"))
    r = httpx.post(f"{url}{API}/agents/2003/sign-out", json={"reason": "shift"}, headers=boss)
    assert r.status_code == 200, r.text
    for token in tokens:
        assert httpx.get(f"{url}{API}/auth/me", headers=bearer(token)).status_code == 401


def test_a_token_signed_out_on_one_worker_is_refused_at_once_by_every_other(
    pg_demo_db: DemoDatabase, tmp_path: Path
) -> None:
    """A PostgreSQL centre is several processes: the cache is off there, so no worker
    trusts a session another has just ended (with it on, the other worker answered
    200 for up to its 2 s)."""
    backend = start_backend(pg_demo_db, tmp_path / "server", ["--workers", "2"])
    try:
        url, token = backend.url, login(backend.url, "1002")

        def workers_answering(status: int) -> set[str]:
            seen: set[str] = set()
            for _ in range(30):  # a new connection each: both workers take some
                r = httpx.get(f"{url}{API}/auth/me", headers=bearer(token))
                assert r.status_code == status, (r.status_code, r.headers.get("x-worker"))
                seen.add(r.headers["x-worker"].split(":")[0])
            return seen

        assert workers_answering(200) == {"0", "1"}  # each has read the session
        assert httpx.post(f"{url}{API}/auth/logout", headers=bearer(token)).status_code == 204
        assert workers_answering(401) == {"0", "1"}
    finally:
        backend.stop()
