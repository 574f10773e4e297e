"""PostgreSQL fails under a real `serve --workers 2` backend with a small load: a
restart, a stop (STOP_S seconds, shorter than the 30 s tried by hand, to keep the suite
quick: the pool and the event listener retry on fixed short delays, so a longer stop
changes nothing but the wait) and a storm of terminated connections.

Throughout: every request is answered on its own keep-alive connection within 3 s,
tagged with X-Worker, 503 `database_unavailable` with Retry-After while the database
is away and never a 500; /health answers within 1 s and says whether the database
answers. Within 2 s of the database's return both workers serve again, and a
supervisor's simulated call placed on either worker reaches the agent's event stream
on the other (the streams opened before the first fault stay open throughout).

The cluster is this module's own: the session's cluster is shared by other tests.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import DemoDatabase, login, start_backend
from tests.cross_worker import WORKERS, Stream, stream_on, wait_until
from tests.outage_load import (
    Load,
    Outcome,
    RawClient,
    check_health,
    check_outcomes,
    clients_on_both_workers,
    unavailable_on,
    warm_up,
)
from tests.pgcluster import ENV_REQUIRE, PgCluster, find_bindir

STOP_S = 5.0  # how long the database stays stopped
BACK_S = 2.0  # within this after its return, every worker serves and delivers events


@dataclass
class Centre:
    backend: EmbeddedBackend
    cluster: PgCluster
    agent_token: str
    supervisor_token: str
    streams: dict[str, Stream] = field(default_factory=dict)  # agent 1001's, per worker
    calls: int = 0

    def load(self) -> Load:
        """A fresh small load: two keep-alive connections on each worker, one more
        asking only /health; started, and answered once on every connection."""
        clients = clients_on_both_workers(self.backend.url, self.agent_token)
        warm_up(clients)
        load = Load(clients, health=[RawClient(self.backend.url)]).start()
        wait_until(lambda: len(load.outcomes) >= 2 * (len(clients) + 1), what="first answers")
        return load


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    from agent_console.server.demo import load_demo
    from agent_console.server.storage import open_storage

    bindir = find_bindir()
    if bindir is None:
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(f"PostgreSQL (initdb, pg_ctl) is not installed and {ENV_REQUIRE}=1")
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    cluster = PgCluster(bindir).start()
    try:
        storage = open_storage(cluster.create_database("demo_template"))
        load_demo(storage)
        storage.close()
        demo = DemoDatabase("postgres", "demo_template", cluster)
        backend = start_backend(demo, tmp_path_factory.mktemp("outage"), WORKERS)
        try:
            agent = login(backend.url, "1001")
            centre = Centre(backend, cluster, agent, login(backend.url, "9001"))
            for worker in ("0", "1"):
                centre.streams[worker] = stream_on(backend, agent, worker)
                assert centre.streams[worker].next()["type"] == "hello"
            yield centre
            for stream in centre.streams.values():
                stream.close()
        finally:
            backend.stop()
    finally:
        cluster.stop()


def supervisor_on_each(centre: Centre) -> dict[str, RawClient]:
    """A supervisor's keep-alive connection on each worker (raw: a pooled client
    drops a connection idle for 5 s and its next request may reach the other worker)."""
    clients = clients_on_both_workers(centre.backend.url, centre.supervisor_token, 1)
    return {c.request("GET", "/health").worker or "": c for c in clients}


def screen_pops(centre: Centre, on: dict[str, RawClient], since: float) -> dict[str, float]:
    """For each worker at once: a supervisor's simulated call placed on it (sent
    again while it answers 503) reaches agent 1001's stream on the other worker.
    Seconds from `since` until each arrived."""
    took: dict[str, float] = {}
    failures: list[str] = []

    def pop(worker: str, number: str) -> None:
        try:
            other = next(w for w in centre.streams if w != worker)
            deadline = since + 10
            while True:
                body = {"agent_id": "1001", "number": number}
                r = on[worker].request("POST", "/calls/simulate", body)
                assert r.worker == worker, r
                if r.status == 201:
                    break
                assert r.status == 503, r
                assert time.monotonic() < deadline, "simulated calls kept failing"
                time.sleep(0.05)  # a client's pause before sending again
            call_id = r.body["id"]
            while True:
                event = centre.streams[other].next(timeout=10)
                if event["type"] == "incoming_call" and event["data"]["call_id"] == call_id:
                    took[worker] = time.monotonic() - since
                    return
        except BaseException as exc:  # reported by the test's thread
            failures.append(f"worker {worker}: {exc!r}")

    threads = []
    for worker in centre.streams:
        centre.calls += 1
        number = f"139{centre.calls:08d}"
        threads.append(threading.Thread(target=pop, args=(worker, number), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures, failures
    return took


def check_return(load: Load, back: float) -> None:
    """Both workers answered a signed-in read with 200 within BACK_S of `back`, and
    no request sent later than that got a 503."""
    for worker in {o.worker for o in load.outcomes}:
        wait_until(
            lambda w=worker: any(
                o.worker == w and o.at >= back and o.answer and o.answer.status == 200
                for o in load.outcomes
                if o.path != "/health"
            ),
            timeout=10,
            what=f"worker {worker} serving again",
        )
        first = min(
            o.at + o.took - back
            for o in load.outcomes
            if o.worker == worker and o.at >= back and o.path != "/health"
            if o.answer and o.answer.status == 200
        )
        assert first <= BACK_S, f"worker {worker} served again only {first:.2f} s after"
    late = [
        o
        for o in load.outcomes
        if o.at > back + BACK_S and o.answer is not None and o.answer.status == 503
    ]
    assert not late, f"{len(late)} 503s after the return, e.g. {late[0]}"


def finish(
    centre: Centre, load: Load, on: dict[str, RawClient], down: float, back: float
) -> list[Outcome]:
    """The checks after the database's return; the outcomes of the whole run."""
    pops = screen_pops(centre, on, back)
    check_return(load, back)
    outcomes = load.stop()
    check_outcomes(outcomes)
    check_health(outcomes, down, back + BACK_S)
    assert max(pops.values()) <= BACK_S, f"screen-pops after the return took {pops}"
    statuses = Counter(o.answer.status for o in outcomes if o.answer is not None)
    health = max(o.took for o in outcomes if o.path == "/health")
    slowest = max(o.took for o in outcomes)
    print(  # the figures, for `pytest -s`
        f"\n{len(outcomes)} requests {dict(statuses)}; slowest {slowest:.2f} s;"
        f" slowest /health {health:.2f} s; screen-pops after the return"
        f" {', '.join(f'{v:.2f}' for v in pops.values())} s"
    )
    return outcomes


def test_a_postgresql_restart(centre: Centre) -> None:
    on = supervisor_on_each(centre)
    load = centre.load()
    down = time.monotonic()
    centre.cluster.restart()
    finish(centre, load, on, down, time.monotonic())


def test_a_postgresql_stop(centre: Centre) -> None:
    on = supervisor_on_each(centre)
    load = centre.load()
    down = time.monotonic()
    centre.cluster.halt()
    try:
        workers = set(centre.streams)
        wait_until(lambda: unavailable_on(load.outcomes) == workers, what="503s from both")
        wait_until(
            lambda: any(
                o.path == "/health" and o.answer and o.answer.status == 503 for o in load.outcomes
            ),
            what="/health saying the database is unreachable",
        )
        # The outage's length is the fault itself, not a wait for a state.
        time.sleep(max(0.0, down + STOP_S - time.monotonic()))
    finally:
        restarting = time.monotonic()  # it may accept connections before pg_ctl returns
        centre.cluster.resume()
    back = time.monotonic()
    outcomes = finish(centre, load, on, down, back)
    while_down = [
        o
        for o in outcomes
        if o.at > down + 1 and o.at + o.took < restarting and o.path != "/health"
    ]
    assert while_down, "no requests while the database was stopped"
    served = [o for o in while_down if o.answer is None or o.answer.status != 503]
    assert not served, f"answered otherwise while the database was stopped: {served}"


def test_a_storm_of_terminated_connections(centre: Centre) -> None:
    """Every connection of the backend's database terminated every 50 ms for 3 s:
    the pool's, the event listeners', mid-request or idle."""
    on = supervisor_on_each(centre)
    load = centre.load()
    down = time.monotonic()
    dbname = urlsplit(centre.backend.db).path.lstrip("/")
    killed = 0
    with psycopg.connect(centre.cluster.url(), autocommit=True) as admin:
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            row = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'",
                (dbname,),
            ).fetchone()
            killed += int(row[0]) if row else 0
            time.sleep(0.05)  # the storm's rhythm
    back = time.monotonic()
    finish(centre, load, on, down, back)
    assert killed >= 20, f"the storm terminated only {killed} connections"


@pytest.fixture
def storage(centre: Centre) -> Iterator[object]:
    """A storage of the test's own on the backend's database (the pool under test)."""
    from agent_console.server.storage import open_storage

    opened = open_storage(centre.backend.db)
    yield opened
    opened.close()


def terminate(centre: Centre, pid: int) -> None:
    with psycopg.connect(centre.cluster.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_read_whose_connection_dies_under_it_is_read_again(centre: Centre, storage: Any) -> None:
    marker = f"read-{uuid.uuid4().hex[:8]}"
    killed: list[int] = []

    def kill_once() -> None:
        with psycopg.connect(centre.cluster.url(), autocommit=True) as admin:
            sql = "SELECT pid FROM pg_stat_activity WHERE query LIKE %s AND pid <> pg_backend_pid()"
            row = wait_until(
                lambda: admin.execute(sql, (f"%{marker}%",)).fetchone(), what="the read running"
            )
            admin.execute("SELECT pg_terminate_backend(%s)", (row[0],))
            killed.append(row[0])

    killer = threading.Thread(target=kill_once, daemon=True)
    killer.start()
    row = storage.db.execute(f"SELECT pg_sleep(0.5), 42 AS answer, '{marker}'").fetchone()
    killer.join(10)
    assert killed and row["answer"] == 42


def test_the_pool_check_finds_a_connection_terminated_while_idle(
    centre: Centre, storage: Any
) -> None:
    """The pool's check (core.check_idle) skips the round trip for a connection that
    shows nothing, yet one whose backend was terminated while it sat idle fails it
    (so the pool never hands it out: a write is not retried)."""
    from agent_console.server.storage.postgres.core import check_idle

    with storage.pool.connection() as conn:
        check_idle(conn)
        pid = conn.info.backend_pid
        terminate(centre, pid)
        wait_until(lambda: not _backend_alive(centre, pid), what="the backend gone")
        with pytest.raises(psycopg.OperationalError):
            check_idle(conn)


def _backend_alive(centre: Centre, pid: int) -> bool:
    with psycopg.connect(centre.cluster.url(), autocommit=True) as admin:
        row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
        return bool(row.fetchone()[0])


def test_a_read_on_a_dying_connection_raises_its_own_error_alone(
    centre: Centre, storage: Any
) -> None:
    """The cleanup ROLLBACK of a read transaction whose connection died used to fail
    too, logging a second traceback chained to the first."""
    with pytest.raises(psycopg.OperationalError) as failed, storage.read() as conn:
        terminate(centre, conn.info.backend_pid)
        conn.execute("SELECT 1")
    assert failed.value.__context__ is None, repr(failed.value.__context__)


async def test_a_replay_waiting_for_the_database_does_not_hold_the_bus(centre: Centre) -> None:
    """A reconnecting stream's replay read that waits (here on a gate; in an outage,
    on the pool) must not hold the bus's lock, which the event loop takes when any
    stream ends: that froze every stream and request of the worker."""
    from agent_console.server.shared_events import SharedEventBus
    from agent_console.server.storage import open_storage

    storage = open_storage(centre.cluster.create_database(f"replay{uuid.uuid4().hex[:8]}"))
    store = storage.event_store()
    assert store is not None
    reading, gate = threading.Event(), threading.Event()

    class SlowReplay:
        """The real store, whose replay read waits for the gate."""

        def __getattr__(self, name: str) -> Any:
            return getattr(store, name)

        def after(self, *args: Any, **kwargs: Any) -> Any:
            reading.set()
            gate.wait(10)
            return store.after(*args, **kwargs)

    bus = SharedEventBus(SlowReplay())  # type: ignore[arg-type]
    try:
        ids = [store.append("notice", {"n": n}, ["all"]) for n in range(2)]
        wait_until(lambda: bus._delivered == ids[-1], what="the listener delivering both")
        loop = asyncio.get_running_loop()
        subscribing = asyncio.ensure_future(
            asyncio.to_thread(bus.subscribe, frozenset({"all"}), str(ids[0]), loop)
        )
        assert await asyncio.to_thread(reading.wait, 10)
        started = time.monotonic()
        assert not bus.listening("all")  # takes the lock; answers while the read waits
        assert time.monotonic() - started < 0.5
        gate.set()
        sub = await subscribing
        event = await sub.next(10)
        assert event is not None and (event.id, event.data) == (str(ids[1]), {"n": 1})
    finally:
        gate.set()
        bus.close()
        storage.close()
