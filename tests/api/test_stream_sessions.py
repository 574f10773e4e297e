"""An open event stream ends within a heartbeat of its token's sign-out or expiry, or of
its agent's role change; the reconnect is judged by the token and role of that moment.
On PostgreSQL with two workers, a sign-out on one worker ends a stream on the other."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend
from tests.cross_worker import WORKERS, Seat, Stream, worker_of

HEARTBEAT = 0.5


class EndingStream:
    """One open `GET /events` read by a thread into a queue, which also says when the
    server ended it (tests/cross_worker.py's Stream, without needing several workers)."""

    def __init__(self, url: str, token: str) -> None:
        self.ended = threading.Event()
        self.client = httpx.Client(timeout=httpx.Timeout(15, read=30))
        self._cm = self.client.stream("GET", url + API + "/events", headers=bearer(token))
        self.response = self._cm.__enter__()
        self.response.raise_for_status()
        self.worker = self.response.headers.get("x-worker", "").split(":")[0]
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self.read_to_end, daemon=True).start()

    _read = Stream._read  # the same SSE parsing

    def read_to_end(self) -> None:
        try:
            self._read()
        finally:
            self.ended.set()

    next = Stream.next
    close = Stream.close


@pytest.fixture(scope="module")
def beat_server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    args = ["--events-heartbeat", str(HEARTBEAT), "--simulated-calls"]
    backend = start_backend(demo_db, tmp_path_factory.mktemp("beat"), args)
    yield backend
    backend.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def open_stream(url: str, token: str) -> EndingStream:
    stream = EndingStream(url, token)
    assert stream.next()["type"] == "hello"
    return stream


def stream_on(backend: EmbeddedBackend, token: str, worker: str) -> EndingStream:
    """A stream served by `worker` (new connections until one lands there)."""
    for _ in range(200):
        stream = open_stream(backend.url, token)
        if stream.worker == worker:
            return stream
        stream.close()
    raise AssertionError(f"no stream landed on worker {worker}")


def ring(url: str, agent_id: str) -> int:
    boss = login(url, "9001")
    r = httpx.post(
        f"{url}{API}/calls/simulate",
        json={"agent_id": agent_id, "unknown": True},
        headers=bearer(boss),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def next_of(stream: Stream, kind: str) -> dict:
    """The next event of `kind`, and every event before it (to check none slipped in)."""
    seen = []
    while True:
        event = stream.next()
        seen.append(event)
        if event["type"] == kind:
            return {"event": event, "before": seen[:-1]}


def test_sign_out_ends_the_stream_and_the_reconnect_is_refused(
    beat_server: EmbeddedBackend,
) -> None:
    url = beat_server.url
    token, other = login(url, "1002"), login(url, "1002")
    stream, kept = open_stream(url, token), open_stream(url, other)
    try:
        assert httpx.post(f"{url}{API}/auth/logout", headers=bearer(token)).status_code == 204
        assert stream.ended.wait(10), "the signed-out stream stayed open"
        r = httpx.get(f"{url}{API}/events", headers=bearer(token))
        assert r.status_code == 401
        # The same agent's other session streams on: only the signed-out token ended.
        call_id = ring(url, "1002")
        assert next_of(kept, "incoming_call")["event"]["data"]["call_id"] == call_id
        assert not kept.ended.is_set()
    finally:
        stream.close()
        kept.close()


def test_a_role_change_ends_the_stream_and_the_new_one_hears_the_new_role(
    beat_server: EmbeddedBackend,
) -> None:
    url = beat_server.url
    boss_token = login(url, "9001")
    boss = httpx.Client(base_url=url + API, headers=bearer(boss_token), timeout=10)
    mentor_token = login(url, "3001")
    as_mentor = open_stream(url, mentor_token)
    watching = open_stream(url, boss_token)  # supervisors hear raised hands too
    try:
        assert boss.patch("/agents/3001/role", json={"role": "agent"}).status_code == 200
        assert as_mentor.ended.wait(10), "the stream kept its old role"
        as_agent = open_stream(url, mentor_token)  # the same token, judged as an agent now
        trainee = login(url, "2001")
        hand = {"scenario_id": "heat-half-hot", "step": "lookup"}
        r = httpx.post(f"{url}{API}/practice/hands", json=hand, headers=bearer(trainee))
        assert r.status_code == 201, r.text
        assert next_of(watching, "hand_raised")["event"]["data"]["trainee_id"] == "2001"
        ring(url, "3001")  # a marker after the hand, addressed to 3001
        before = next_of(as_agent, "incoming_call")["before"]
        assert "hand_raised" not in [e["type"] for e in before]
        as_agent.close()
    finally:
        boss.patch("/agents/3001/role", json={"role": "mentor"})
        boss.close()
        as_mentor.close()
        watching.close()


def end_shift(backend: EmbeddedBackend, demo_db: DemoDatabase, agent_id: str) -> datetime:
    """Move the agent's sessions' expiry to now in the backend's database: the expiry
    as the server sees it, without racing a short --token-ttl-hours on a loaded box."""
    moment = datetime.now(timezone.utc)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    sql = "UPDATE sessions SET expires_at = {} WHERE agent_id = {}"
    if demo_db.cluster is None:
        with sqlite3.connect(str(backend.db)) as db:
            db.execute(sql.format("?", "?"), (stamp, agent_id))
    else:
        import psycopg

        dbname = str(backend.db).rsplit("/", 1)[1]
        with psycopg.connect(demo_db.cluster.url(dbname)) as conn:
            conn.execute(sql.format("%s", "%s"), (stamp, agent_id))
    return moment


def test_expiry_ends_the_stream_within_a_heartbeat(
    beat_server: EmbeddedBackend, demo_db: DemoDatabase
) -> None:
    stream = open_stream(beat_server.url, login(beat_server.url, "1003"))
    try:
        for _ in range(3):  # it streams on (pings) while the token holds
            assert not stream.ended.wait(HEARTBEAT)
        expired = end_shift(beat_server, demo_db, "1003")
        assert stream.ended.wait(30), "the stream outlived its token"
        late = (datetime.now(timezone.utc) - expired).total_seconds()
        assert late < HEARTBEAT + 5  # one heartbeat, and slack for a loaded machine
    finally:
        stream.close()


def test_sign_out_on_one_worker_ends_a_stream_on_the_other(
    pg_demo_db: DemoDatabase, tmp_path: Path
) -> None:
    backend = start_backend(pg_demo_db, tmp_path / "workers", WORKERS)
    try:
        seat = Seat(backend.url, login(backend.url, "1003"))
        a, b = seat.workers
        stream = stream_on(backend, seat.token, b)
        try:
            r = seat.pin().on[a].post("/auth/logout")
            assert (r.status_code, worker_of(r)) == (204, a)
            assert stream.ended.wait(10), "a sign-out on the other worker left the stream open"
        finally:
            stream.close()
            seat.close()
    finally:
        backend.stop()
