"""Caller searches have a budget per agent and number searches leave a trace; request
bodies over the limit are refused before they are read (issue 14)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend


@pytest.fixture
def tight_server(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[EmbeddedBackend]:
    args = ["--search-per-minute", "6", "--search-burst", "5", "--max-body-bytes", "2000"]
    backend = start_backend(demo_db, tmp_path / "server", args)
    yield backend
    backend.stop()


def signed_in(url: str, agent_id: str) -> httpx.Client:
    auth = {"Authorization": f"Bearer {login(url, agent_id)}"}
    return httpx.Client(base_url=url + API, headers=auth, timeout=30)


def test_searches_past_the_budget_get_429_with_retry_after(
    tight_server: EmbeddedBackend,
) -> None:
    with signed_in(tight_server.url, "1001") as a, signed_in(tight_server.url, "1002") as b:
        codes = [a.get("/callers", params={"q": f"13{n}"}).status_code for n in range(5)]
        assert codes == [200] * 5
        refused = a.get("/callers", params={"q": "139"})
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "too_many_searches"
        assert 1 <= int(refused.headers["Retry-After"]) <= 10  # 6 a minute: one per 10 s
        assert b.get("/callers", params={"q": "139"}).status_code == 200  # per agent
        assert a.get("/directory", params={"q": "139"}).status_code == 200  # callers only


def wait_for(check: object, timeout: float = 15.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()  # type: ignore[operator]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_number_searches_of_seven_digits_or_more_are_audited(fresh_server: EmbeddedBackend) -> None:
    typed = ["139", "139123", "1391234", "139-1234-5", "13912345678", "张 13912"]
    url = fresh_server.url
    with signed_in(url, "1002") as agent, signed_in(url, "9001") as boss:
        for q in typed:
            assert agent.get("/callers", params={"q": q}).status_code == 200

        def trail() -> list[dict]:
            r = boss.get("/audit", params={"action": "caller_search", "limit": 500})
            mine = [e for e in r.json()["items"] if e["agent_id"] == "1002"]
            return mine if len(mine) >= 3 else []

        entries = wait_for(trail)
        assert sorted(e["detail"] for e in entries) == ["139-1234-5", "1391234", "13912345678"]
        assert all(e["at"].endswith("Z") for e in entries)


def raw_request(url: str, head: bytes, body_chunks: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head)
        for chunk in body_chunks:
            sock.sendall(chunk)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    return answer


def test_a_body_over_the_limit_is_refused_before_it_is_sent(server: EmbeddedBackend) -> None:
    head = (
        f"POST {API}/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    ).encode()
    answer = raw_request(server.url, head)  # not one byte of the 200 MB body is sent
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code":"too_large"' in answer.replace(b" ", b"")


def test_a_chunked_body_over_the_limit_is_cut_off(server: EmbeddedBackend) -> None:
    head = (
        f"POST {API}/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b"x" * (256 * 1024)
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(5)] + [b"0\r\n\r\n"]
    answer = raw_request(server.url, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_the_body_limit_is_configurable(tight_server: EmbeddedBackend) -> None:
    with signed_in(tight_server.url, "1001") as agent:
        body = {"category": "heat.no_heat", "summary": "s", "notes": "n" * 3000}
        r = agent.post("/tickets", json=body, headers={"Idempotency-Key": "big"})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        body["notes"] = "small"
        r = agent.post("/tickets", json=body, headers={"Idempotency-Key": "small"})
        assert r.status_code == 201, r.text
