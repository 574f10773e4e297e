"""The sign-in throttle holds however the guesses come (issue 14): thirty at once
(on PostgreSQL spread over two workers) get at most five passwords checked; the count
is per agent number and client address, so a stranger cannot lock an agent out at
their own seat; one address spraying many numbers is stopped; X-Forwarded-For counts
only from a configured proxy; failures for unknown numbers are counted, not audited.

Different client addresses are real: the clients bind 127.0.0.x source addresses
(Linux routes the whole 127/8 block to loopback)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend


def client_from(url: str, address: str = "127.0.0.1", **headers: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url + API, transport=transport, headers=headers, timeout=60)


def sign_in(
    url: str, agent_id: str, password: str, address: str = "127.0.0.1", **headers: str
) -> httpx.Response:
    with client_from(url, address, **headers) as client:
        return client.post("/auth/login", json={"agent_id": agent_id, "password": password})


def audit(url: str, **params: str) -> list[dict]:
    token = login(url, "9001")
    r = httpx.get(f"{url}{API}/audit", params=params, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.fixture
def throttle_server(
    db_engine: str, demo_db: DemoDatabase, tmp_path: Path
) -> Iterator[EmbeddedBackend]:
    """SQLite: one process; PostgreSQL: two workers sharing the count."""
    extra = ["--workers", "2"] if db_engine == "postgres" else []
    backend = start_backend(demo_db, tmp_path / "server", extra)
    yield backend
    backend.stop()


def pinned_clients(url: str, n: int, workers: bool) -> list[httpx.Client]:
    """`n` kept-alive connections; with workers, half on each (X-Worker tells)."""
    if not workers:
        return [client_from(url) for _ in range(n)]
    on: dict[str, list[httpx.Client]] = {}
    for _ in range(50 * n):
        client = client_from(url)
        worker = client.get("/health").headers["x-worker"].split(":")[0]
        if len(on.setdefault(worker, [])) < n // 2:
            on[worker].append(client)
        else:
            client.close()
        if len(on) == 2 and all(len(c) == n // 2 for c in on.values()):
            return [c for cs in on.values() for c in cs]
    raise AssertionError(f"connections never spread over two workers: {list(on)}")


def test_thirty_guesses_at_once_check_at_most_five_passwords(
    throttle_server: EmbeddedBackend, db_engine: str
) -> None:
    url = throttle_server.url
    clients = pinned_clients(url, 30, workers=db_engine == "postgres")
    barrier = threading.Barrier(len(clients))
    answers: list[httpx.Response] = []

    def guess(client: httpx.Client, n: int) -> None:
        barrier.wait()
        answers.append(client.post("/auth/login", json={"agent_id": "1003", "password": f"g{n}"}))

    threads = [threading.Thread(target=guess, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    codes = sorted(r.status_code for r in answers)
    assert codes == [401] * 5 + [429] * 25, codes  # 401: a password was checked
    if db_engine == "postgres":
        assert len({r.headers["x-worker"] for r in answers}) == 2
    checked = [e for e in audit(url, target="1003") if e["action"] == "login_failed"]
    assert len(checked) == 5
    locked = sign_in(url, "1003", "demo")
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 15 * 60


def test_a_strangers_failures_do_not_lock_the_agent_out_at_their_seat(
    fresh_server: EmbeddedBackend,
) -> None:
    url = fresh_server.url
    for n in range(5):
        assert sign_in(url, "1002", f"guess{n}", "127.0.0.2").status_code == 401
    assert sign_in(url, "1002", "demo", "127.0.0.2").status_code == 429  # the stranger waits
    assert sign_in(url, "1002", "demo", "127.0.0.1").status_code == 200  # the seat does not
    entries = [e for e in audit(url, target="1002") if e["action"] == "login_failed"]
    assert len(entries) == 5 and {e["detail"] for e in entries} == {"from 127.0.0.2"}


def test_one_address_spraying_many_numbers_is_stopped(fresh_server: EmbeddedBackend) -> None:
    url = fresh_server.url
    for n in range(30):  # unknown numbers and a few real ones, one guess each
        number = f"8{n:03d}" if n % 10 else "1001"
        assert sign_in(url, number, "demo1", "127.0.0.3").status_code == 401
    refused = sign_in(url, "1002", "demo", "127.0.0.3")  # even a right password waits
    assert refused.status_code == 429 and "address" in refused.json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert sign_in(url, "1002", "demo", "127.0.0.1").status_code == 200  # other seats: as usual
    # Unknown numbers are counted (they filled the limit) but not written row by row.
    entries = audit(url, action="login_failed")
    assert {e["target"] for e in entries} == {"1001"} and len(entries) == 3


def test_a_success_starts_the_seat_count_again_but_not_the_address_count(
    fresh_server: EmbeddedBackend,
) -> None:
    url = fresh_server.url
    for _ in range(2):
        for n in range(4):
            assert sign_in(url, "1002", f"g{n}", "127.0.0.5").status_code == 401
        assert sign_in(url, "1002", "demo", "127.0.0.5").status_code == 200


@pytest.fixture
def proxied_server(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[EmbeddedBackend]:
    backend = start_backend(demo_db, tmp_path / "server", ["--trusted-proxy", "127.0.0.4/32"])
    yield backend
    backend.stop()


def test_forwarded_for_counts_only_from_a_trusted_proxy(proxied_server: EmbeddedBackend) -> None:
    url = proxied_server.url
    proxy = "127.0.0.4"
    for n in range(5):  # a stranger behind the proxy
        r = sign_in(url, "1003", f"g{n}", proxy, **{"X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 401
    r = sign_in(url, "1003", "demo", proxy, **{"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 429
    # The agent's seat behind the same proxy has its own count; a spoofed first hop
    # does not matter (the proxy appends the real one).
    r = sign_in(url, "1003", "demo", proxy, **{"X-Forwarded-For": "203.0.113.9, 10.1.2.3"})
    assert r.status_code == 200
    # From an address that is not a trusted proxy the header is ignored: varying it
    # does not buy more guesses.
    for n in range(5):
        r = sign_in(url, "1002", f"g{n}", "127.0.0.6", **{"X-Forwarded-For": f"10.9.9.{n}"})
        assert r.status_code == 401
    r = sign_in(url, "1002", "demo", "127.0.0.6", **{"X-Forwarded-For": "10.9.9.99"})
    assert r.status_code == 429
