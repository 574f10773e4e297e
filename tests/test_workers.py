"""`serve --workers 2` on PostgreSQL, as real processes: what one worker does, the
other sees (events, idempotency keys, agent state), a reconnecting console gets what
it missed from any worker, a dead worker comes back, and stopping the parent leaves no
process behind. SQLite refuses several workers.

Every response says which worker served it (`X-Worker: index:pid`); a keep-alive
client stays on its worker, so the tests open connections until they hold one on
each worker and check the header on every answer they rely on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, DemoDatabase, login, start_backend
from tests.cross_worker import (
    WORKERS,
    Seat,
    back_on,
    gone,
    stream_on,
    wait_until,
    worker_of,
)


@pytest.fixture(scope="module")
def workers_server(
    pg_demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """One `--workers 2` server on PostgreSQL for the tests that do not stop it."""
    backend = start_backend(pg_demo_db, tmp_path_factory.mktemp("workers"), WORKERS)
    yield backend
    backend.stop()


@pytest.fixture(scope="module")
def seat(workers_server: EmbeddedBackend) -> Iterator[Seat]:
    s = Seat(workers_server.url, login(workers_server.url, "1001"))
    yield s
    s.close()


def test_an_event_published_on_one_worker_reaches_a_stream_on_the_other(
    workers_server: EmbeddedBackend, seat: Seat
) -> None:
    a, b = seat.workers
    stream = stream_on(workers_server, seat.token, b)
    try:
        assert stream.next()["type"] == "hello"
        r = seat.pin().on[a].post("/calls/simulate", json={"number": "13900001111"})
        assert r.status_code == 201 and worker_of(r) == a
        event = stream.next()
        assert (event["type"], event["data"]["call_id"]) == ("incoming_call", r.json()["id"])
        assert event["data"]["number"] == "13900001111"
    finally:
        stream.close()


def test_a_console_reconnecting_to_the_other_worker_gets_only_what_it_missed(
    workers_server: EmbeddedBackend, seat: Seat
) -> None:
    a, b = seat.workers
    first = stream_on(workers_server, seat.token, a)
    hello = first.next()
    first.close()
    supervisor = login(workers_server.url, "9001")
    calls = [seat.pin().on[a].post("/calls/simulate", json={"number": "13900002222"}).json()["id"]]
    other = httpx.post(
        workers_server.url + API + "/calls/simulate",
        json={"agent_id": "1002", "number": "13900003333"},
        headers={"Authorization": f"Bearer {supervisor}"},
    )
    assert other.status_code == 201  # addressed to agent 1002: never replayed to 1001
    calls.append(
        seat.pin().on[b].post("/calls/simulate", json={"number": "13900004444"}).json()["id"]
    )
    again = stream_on(workers_server, seat.token, b, last_event_id=hello["id"])
    try:
        assert again.next() == {**hello, "id": hello["id"]}  # it resumes where it was
        replayed = [again.next() for _ in range(2)]
        assert [e["type"] for e in replayed] == ["incoming_call", "incoming_call"]
        assert [e["data"]["call_id"] for e in replayed] == calls
        assert int(hello["id"]) < int(replayed[0]["id"]) < int(replayed[1]["id"])
    finally:
        again.close()


def test_the_same_idempotency_key_on_two_workers_at_once_makes_one_ticket(
    workers_server: EmbeddedBackend, seat: Seat, pg_demo_db: DemoDatabase
) -> None:
    a, b = seat.workers
    summary = f"no heating, stairwell 3 ({uuid.uuid4().hex[:8]})"
    body = {"category": "heat.no_heat", "summary": summary}
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    answers: dict[str, httpx.Response] = {}

    def post(worker: str) -> None:
        barrier.wait()
        answers[worker] = seat.on[worker].post(
            "/tickets", json=body, headers={"Idempotency-Key": key}
        )

    threads = [threading.Thread(target=post, args=(w,)) for w in (a, b)]
    seat.pin()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert {worker_of(r) for r in answers.values()} == {a, b}
    assert [r.status_code for r in answers.values()] == [201, 201], [
        r.text for r in answers.values()
    ]
    assert answers[a].json()["id"] == answers[b].json()["id"]
    replayed = sorted(r.headers.get("Idempotent-Replayed", "") for r in answers.values())
    assert replayed == ["", "true"]
    dbname = workers_server.db.rsplit("/", 1)[1]  # type: ignore[union-attr]
    with psycopg.connect(pg_demo_db.cluster.url(dbname)) as conn:  # type: ignore[union-attr]
        (count,) = conn.execute(
            "SELECT count(*) FROM tickets WHERE summary = %s", (summary,)
        ).fetchone()  # type: ignore[misc]
    assert count == 1


def test_agent_state_set_on_one_worker_is_read_on_the_other(
    workers_server: EmbeddedBackend, seat: Seat
) -> None:
    a, b = seat.workers
    mentor = Seat(workers_server.url, login(workers_server.url, "3001"))
    try:
        reason = f"meal {uuid.uuid4().hex[:6]}"
        seat.pin(), mentor.pin()
        r = seat.on[a].put("/agents/me/state", json={"state": "not_ready", "reason": reason})
        assert r.status_code == 200 and worker_of(r) == a
        seen = mentor.on[b].get("/agents/states")
        assert worker_of(seen) == b
        mine = [s for s in seen.json()["items"] if s["agent_id"] == "1001"]
        assert [(s["state"], s["reason"]) for s in mine] == [("not_ready", reason)]
    finally:
        mentor.close()


def test_a_killed_worker_comes_back_and_sigterm_to_the_parent_ends_every_worker(
    pg_demo_db: DemoDatabase, tmp_path: Path
) -> None:
    backend = start_backend(pg_demo_db, tmp_path / "server", WORKERS)
    try:
        seat = Seat(backend.url, login(backend.url, "1001"))
        a, b = seat.workers
        hello = stream_on(backend, seat.token, b)
        since = hello.next()["id"]
        hello.close()
        call = seat.pin().on[a].post("/calls/simulate", json={"number": "13900005555"}).json()["id"]
        os.kill(seat.pid[b], signal.SIGKILL)
        # The parent starts worker b again; a console reconnecting there catches up.
        again = back_on(backend, seat.token, b, seat.pid[b], since)
        try:
            assert again.next()["type"] == "hello"
            event = again.next()
            assert (event["type"], event["data"]["call_id"]) == ("incoming_call", call)
        finally:
            again.close()
        pids = [seat.pid[a], again.pid]
        seat.close()
        assert "restart" in (tmp_path / "server" / "server.log").read_text()
        parent = backend.process
        assert parent is not None
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(20) == 0
        wait_until(lambda: all(gone(p) for p in pids), what="workers gone after SIGTERM")
    finally:
        backend.stop()


def test_workers_end_when_the_parent_is_killed(pg_demo_db: DemoDatabase, tmp_path: Path) -> None:
    backend = start_backend(pg_demo_db, tmp_path / "server", WORKERS)
    try:
        seat = Seat(backend.url, login(backend.url, "1001"))
        pids = list(seat.pid.values())
        seat.close()
        assert backend.process is not None
        backend.process.kill()  # SIGKILL: no chance to stop anyone
        backend.process.wait(10)
        wait_until(lambda: all(gone(p) for p in pids), what="workers gone after the parent")
    finally:
        backend.stop()


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "agent_console.server.runner"],
        [sys.executable, "-m", "agent_console", "serve"],
    ],
)
def test_sqlite_refuses_several_workers(command: list[str], tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    done = subprocess.run(
        [*command, "--db", str(db), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--workers 2 needs PostgreSQL" in lines[0], done.stderr
    assert "SQLite is the one-process engine" in lines[0]
    assert not db.exists()  # refused before anything was opened


def test_a_dropped_listen_connection_is_reopened_and_nothing_is_lost(
    workers_server: EmbeddedBackend, seat: Seat, pg_demo_db: DemoDatabase
) -> None:
    a, b = seat.workers
    stream = stream_on(workers_server, seat.token, b)
    try:
        assert stream.next()["type"] == "hello"
        dbname = workers_server.db.rsplit("/", 1)[1]  # type: ignore[union-attr]
        with psycopg.connect(pg_demo_db.cluster.url(dbname), autocommit=True) as conn:  # type: ignore[union-attr]
            killed = conn.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'agent-console events' AND datname = %s",
                (dbname,),
            ).fetchone()
        assert killed == (2,)  # one listener per worker
        # Published while both listeners are reconnecting: the table still has it.
        r = seat.pin().on[a].post("/calls/simulate", json={"number": "13900006666"})
        assert r.status_code == 201
        event = stream.next()
        assert (event["type"], event["data"]["call_id"]) == ("incoming_call", r.json()["id"])
    finally:
        stream.close()


def test_old_events_are_pruned_and_ids_keep_rising(pg_cluster: Any) -> None:
    from agent_console.server.storage import open_storage

    storage = open_storage(pg_cluster.create_database(f"prune{uuid.uuid4().hex[:8]}"))
    try:
        store = storage.event_store()
        assert store is not None
        ids = [store.append("notice", {"n": n}, ["all"]) for n in range(5)]
        assert ids == sorted(ids) and len(set(ids)) == 5
        assert store.prune(24.0, 2) == 3
        assert [e["data"]["n"] for e in store.after(0)] == [3, 4]
        assert store.append("notice", {"n": 5}, ["all"]) > ids[-1]
        assert store.prune(0.0, 100) == 3  # everything is older than 0 hours
    finally:
        storage.close()


async def test_a_stream_resumed_on_a_lagging_worker_gets_no_event_twice(pg_cluster: Any) -> None:
    """The console saw event 2 on a worker whose listener is ahead; the worker it
    reconnects to has not delivered event 2 yet: it must skip 1 and 2, send 3."""
    from agent_console.server.shared_events import SharedEventBus
    from agent_console.server.storage import open_storage

    storage = open_storage(pg_cluster.create_database(f"lag{uuid.uuid4().hex[:8]}"))
    store = storage.event_store()
    assert store is not None
    gate = threading.Event()

    class Lagging:
        """The real store, whose listener connects only once the gate opens."""

        def __getattr__(self, name: str) -> Any:
            return getattr(store, name)

        def listener(self) -> Any:
            gate.wait(10)
            return store.listener()

    bus = SharedEventBus(Lagging())  # type: ignore[arg-type]
    try:
        ids = [store.append("notice", {"n": n}, ["all"]) for n in range(3)]
        sub = bus.subscribe(frozenset({"all"}), str(ids[1]))
        assert sub.cursor == ids[1]
        gate.set()
        event = await sub.next(10)
        assert event is not None and (event.id, event.data) == (str(ids[2]), {"n": 2})
        assert await sub.next(0.5) is None  # and nothing else
    finally:
        bus.close()
        storage.close()
