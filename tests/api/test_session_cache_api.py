"""A session the server has just read is remembered for a moment (server/
session_cache.py); whatever ends a session or changes a role in this process counts
at once all the same, on both engines: the request right after it is judged anew."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend
from tests.cross_worker import Seat, worker_of


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


def test_a_session_ended_on_one_worker_is_refused_at_once_by_the_other(
    pg_demo_db: DemoDatabase, tmp_path: Path
) -> None:
    """A PostgreSQL centre is several processes, each with its own cache: a sign-out,
    a role change and a supervisor's sign-out of a seat made through one worker count
    in the other's very next request (without telling the others, the other worker
    answered from its memory: 200 for a signed-out token)."""
    backend = start_backend(pg_demo_db, tmp_path / "server", ["--workers", "2"])
    seats: list[Seat] = []
    try:
        url = backend.url

        def seat(agent_id: str) -> Seat:
            seats.append(Seat(url, login(url, agent_id)))
            return seats[-1]

        def remembered(s: Seat, path: str = "/auth/me") -> None:
            s.pin()  # each worker has read the session (and remembers it)
            for client in s.on.values():
                for _ in range(3):
                    assert client.get(path).status_code == 200

        # 1. a token signed out through worker 0
        agent = seat("1002")
        remembered(agent, "/callers?q=王")
        assert agent.on["0"].post("/auth/logout").status_code == 204
        r = agent.on["1"].get("/callers", params={"q": "王"})
        assert (r.status_code, worker_of(r)) == (401, "1")
        assert r.json()["error"]["code"] == "invalid_token"

        # 2. a mentor made an agent through worker 1
        boss, mentor = seat("9001"), seat("3001")
        remembered(mentor, "/agents/states")  # mentors only
        boss.pin()
        assert boss.on["1"].patch("/agents/3001/role", json={"role": "agent"}).status_code == 200
        r = mentor.on["0"].get("/agents/states")
        assert (r.status_code, worker_of(r)) == (403, "0"), r.text
        assert mentor.on["0"].get("/auth/me").json()["role"] == "agent"
        assert boss.on["1"].patch("/agents/3001/role", json={"role": "mentor"}).status_code == 200

        # 3. a seat signed out by a supervisor through worker 0
        other = seat("2003")
        remembered(other)
        boss.pin()
        r = boss.on["0"].post("/agents/2003/sign-out", json={"reason": "shift"})
        assert r.status_code == 200, r.text
        r = other.on["1"].get("/auth/me")
        assert (r.status_code, worker_of(r)) == (401, "1")
    finally:
        for s in seats:
            s.close()
        backend.stop()
