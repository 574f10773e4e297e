"""Event delivery latency: a call placed through the API until the agent's open event
stream receives it (screen-pop), on one process and across workers.

Three servers, each a real process on loopback with the demo data: SQLite (the
in-process bus: the baseline), PostgreSQL with 1 worker and PostgreSQL with
`--workers 2` (the event is published through worker A and read on a stream served by
worker B, through the events table and LISTEN/NOTIFY). Each places EVENTS_N calls one
after another (`POST /calls/simulate`) and times POST sent -> event read on the stream.
A second table times the buses alone, without HTTP: publish() -> out of a subscription,
in memory and through PostgreSQL (two storages in this process standing for two
workers).

Run: `python -m bench events` (EVENTS_N=200 by default; under a minute; starts a
throwaway PostgreSQL cluster like bench/engines.py, or uses PG_URL).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import log, summary_ms, table
from bench.guard import stopped_at_exit

EVENTS_N = int(os.environ.get("EVENTS_N", 200))
API = "/api/v1"


class _Stream:
    """An open `GET /events`; a thread stamps each incoming_call with its arrival."""

    def __init__(self, url: str, token: str) -> None:
        self.client = httpx.Client(timeout=httpx.Timeout(10, read=60))
        headers = {"Authorization": f"Bearer {token}"}
        self._cm = self.client.stream("GET", url + API + "/events", headers=headers)
        self.response = self._cm.__enter__()
        self.worker = self.response.headers.get("x-worker", "").split(":")[0]
        self.arrived: queue.Queue[tuple[float, int]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind = ""
        try:
            for line in self.response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "incoming_call":
                    self.arrived.put((time.perf_counter(), json.loads(line[6:])["call_id"]))
        except (httpx.HTTPError, RuntimeError):
            pass  # closed at the end of the run

    def close(self) -> None:
        self.client.close()


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url + API, headers={"Authorization": f"Bearer {token}"})


def _pair(url: str, token: str, cross: bool) -> tuple[_Stream, httpx.Client]:
    """A stream and a publishing client: on different workers when `cross`."""
    for _ in range(200):
        stream = _Stream(url, token)
        client = _client(url, token)
        worker = client.get("/auth/me").headers.get("x-worker", "").split(":")[0]
        if not cross or (worker and worker != stream.worker):
            return stream, client
        stream.close()
        client.close()
    raise RuntimeError("could not get a stream and a client on two different workers")


def _measure(url: str, cross: bool) -> dict[str, list[float]]:
    token = httpx.post(
        url + API + "/auth/login", json={"agent_id": "1001", "password": "demo"}
    ).json()["token"]
    stream, client = _pair(url, token, cross)
    delivery, post = [], []
    try:
        time.sleep(0.3)  # the stream is registered (hello) before the first call
        for i in range(EVENTS_N + 5):
            started = time.perf_counter()
            r = client.post("/calls/simulate", json={"number": f"1390000{i:04d}"})
            answered = time.perf_counter()
            r.raise_for_status()
            call_id = r.json()["id"]
            while True:
                at, got = stream.arrived.get(timeout=10)
                if got == call_id:
                    break
            if i >= 5:  # the first few warm connections and caches up
                delivery.append(at - started)
                post.append(answered - started)
            time.sleep(0.01)
    finally:
        stream.close()
        client.close()
    return {"delivery": delivery, "post": post}


async def _bus_latency(publisher: Any, receiver: Any) -> dict[str, list[float]]:
    """publish() in a worker thread (as a route does) -> the event out of a
    subscription of `receiver` (the same bus, or another process's through PG)."""
    loop = asyncio.get_running_loop()
    sub = receiver.subscribe(frozenset({"all"}))
    delivery, publish = [], []
    try:
        for i in range(EVENTS_N + 5):
            started = time.perf_counter()
            await loop.run_in_executor(None, publisher.publish, "bench", {"i": i}, "all")
            published = time.perf_counter()
            while True:
                event = await sub.next(10)
                if event is not None and event.data.get("i") == i:
                    break
            if i >= 5:
                delivery.append(time.perf_counter() - started)
                publish.append(published - started)
    finally:
        sub.close()
    return {"delivery": delivery, "post": publish}


def _bus_rows(url: str) -> list[tuple[str, dict[str, list[float]]]]:
    """The buses alone, no HTTP: in memory, and two PostgreSQL storages (two pools,
    two LISTEN connections: two workers' worth) in this process."""
    from agent_console.server.event_bus import EventBus
    from agent_console.server.shared_events import SharedEventBus
    from agent_console.server.storage import open_storage

    memory = EventBus()
    a, b = open_storage(url), open_storage(url)
    store_a, store_b = a.event_store(), b.event_store()
    assert store_a is not None and store_b is not None
    bus_a, bus_b = SharedEventBus(store_a), SharedEventBus(store_b)
    try:
        time.sleep(0.5)  # both listeners connected
        return [
            ("in-memory bus (SQLite)", asyncio.run(_bus_latency(memory, memory))),
            ("PostgreSQL bus, same process", asyncio.run(_bus_latency(bus_a, bus_a))),
            ("PostgreSQL bus, A -> B", asyncio.run(_bus_latency(bus_a, bus_b))),
        ]
    finally:
        bus_a.close()
        bus_b.close()
        time.sleep(2.5)  # the listener threads notice and let their connections go
        a.close()
        b.close()


def _rows(results: list[tuple[str, dict[str, list[float]]]]) -> list[list[object]]:
    rows: list[list[object]] = []
    for label, r in results:
        d, p = summary_ms(r["delivery"]), summary_ms(r["post"])
        rows.append([label, d["n"], d["p50"], d["p95"], d["p99"], p["p50"], p["p95"]])
    return rows


def _run_server(db: str, workdir: Path, extra: list[str]) -> Any:
    from agent_console.backend_process import EmbeddedBackend

    workdir.mkdir(parents=True, exist_ok=True)
    return EmbeddedBackend(
        db, demo_data=True, log_file=workdir / "server.log", extra_args=extra
    ).start(timeout=120)


def _ready_workers(url: str, n: int) -> None:
    """Wait until `n` distinct workers answer (the parent is up when one is)."""
    seen: set[str] = set()
    deadline = time.monotonic() + 60
    while len(seen) < n and time.monotonic() < deadline:
        with httpx.Client() as c:
            seen.add(c.get(url + API + "/health").headers.get("x-worker", "?"))
    if len(seen) < n:
        raise RuntimeError(f"only {len(seen)} of {n} workers answered")


def run() -> str:
    cluster = None
    url = os.environ.get("PG_URL", "")
    results: list[tuple[str, dict[str, list[float]]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        work = Path(tmp)
        with contextlib.ExitStack() as stack:
            if not url:
                sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
                from tests.pgcluster import PgCluster, find_bindir

                bindir = find_bindir()
                if bindir is None:
                    return "PostgreSQL is not installed (set PG_URL or install initdb/pg_ctl)"
                cluster = PgCluster(bindir)
                stack.enter_context(stopped_at_exit(cluster)).start()
                url = cluster.create_database("bench_events")
            setups = [
                ("SQLite, 1 process (in-process bus)", str(work / "demo.db"), [], False),
                ("PostgreSQL, 1 worker", url, [], False),
                ("PostgreSQL, 2 workers: A -> B", url, ["--workers", "2"], True),
            ]
            log("the buses alone...")
            buses = _bus_rows(url)
            for label, db, extra, cross in setups:
                log(f"{label}...")
                backend = _run_server(db, work / label[:10], ["--simulated-calls", *extra])
                try:
                    if cross:
                        _ready_workers(backend.url, 2)
                    results.append((label, _measure(backend.url, cross)))
                finally:
                    backend.stop()
    head = ["server", "events", "p50", "p95", "p99", "POST p50", "POST p95"]
    base = summary_ms(results[0][1]["delivery"])["p95"]
    cross_p95 = summary_ms(results[-1][1]["delivery"])["p95"]
    bus_head = ["bus", "events", "p50", "p95", "p99", "publish p50", "publish p95"]
    return (
        "Screen-pop: POST /calls/simulate sent -> incoming_call read on the agent's event "
        "stream (real servers, HTTP), ms; POST columns: the request alone (the event is "
        "published before the answer is sent, so the two overlap)\n\n"
        + table(head, _rows(results))
        + f"\n\ncross-worker p95 / in-process p95: {cross_p95 / base:.1f}x\n\n"
        "The buses alone: publish() (in a worker thread, as a route) -> event out of a "
        "subscription, ms\n\n" + table(bus_head, _rows(buses))
    )
