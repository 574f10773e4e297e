"""One driver process of bench/centre: a slice of the centre's seats, asyncio + aiohttp.

`python -m bench.centre_driver CONFIG.json`. Each seat signs in as its own agent,
holds `GET /api/v1/events` open for the whole run and, every 8-10 s, types a lookup
(4-6 growing queries), opens the caller card and, one call in five, saves a ticket
with an Idempotency-Key (retried with the same key after a transport error or a 5xx,
as the console's outbox does). Protocol with the parent: after the sign-ins it prints
`ready`, waits for `go EPOCH` on stdin, runs until EPOCH + duration, prints `done`
when its last call has finished, then writes every sample to the config's `out` file.
Loopback only: the parent gives a 127.0.0.1 URL, and nothing else is contacted.

aiohttp, not httpx (the console's client): against the same server, httpx spent 2.7 ms
of CPU per request in this process, aiohttp 0.43 ms; on 2 shared cores the driver's CPU
is taken from the server. Idle connections are dropped after 5 s like httpx's default,
so a seat reuses connections as the console does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from agent_console.client.base import KEEPALIVE_S
from bench.centre_plan import TYPING_GAP, plan_turn, ramp_offsets, turn_times

REQUEST_TIMEOUT = 15.0
TICKET_TRIES = 3
API = "/api/v1"
KEEPALIVE = KEEPALIVE_S  # as the console keeps an idle connection
FAILURES = (aiohttp.ClientError, asyncio.TimeoutError)


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Stats:
    """Everything one driver measured; written out as JSON at the end."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.lag: list[float] = []  # turn start vs schedule, when the seat was free
        self.overruns = 0  # turns that could not start on time: the last one still ran
        self.skipped = 0  # turns still due at the end (a seat behind): not started
        self.loop_lag: list[float] = []
        self.partial = 0
        self.partial_kinds: Counter[str] = Counter()  # partial searches by lookup kind
        self.partial_queries: list[str] = []  # the first few, to EXPLAIN them afterwards
        self.no_hit = 0
        self.turns = 0
        self.searches = 0
        self.sse_drops: Counter[str] = Counter()
        self.sse_events = 0
        self.tickets_ok: list[str] = []  # keys the server confirmed (201 or replay)
        self.tickets_unsure: list[str] = []  # keys given up on: outcome unknown
        self.ticket_retries = 0
        self.replays = 0

    def fail(self, endpoint: str, what: str) -> None:
        self.errors[f"{endpoint}: {what}"] += 1


async def timed(
    stats: Stats, client: aiohttp.ClientSession, endpoint: str, method: str, path: str, **kw: Any
) -> Reply | None:
    """One request, its latency (to the whole body read) recorded under `endpoint`;
    None after a transport error or a timeout."""
    started = time.perf_counter()
    try:
        async with client.request(method, API + path, **kw) as r:
            reply = Reply(r.status, r.headers, await r.read())
    except FAILURES as exc:
        stats.fail(endpoint, type(exc).__name__)
        return None
    stats.latency[endpoint].append(time.perf_counter() - started)
    if reply.status >= 400:
        stats.fail(endpoint, f"HTTP {reply.status}")
    return reply


async def sign_in(url: str, agent: str, password: str, stats: Stats) -> aiohttp.ClientSession:
    client = aiohttp.ClientSession(
        base_url=url,
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(limit=4, keepalive_timeout=KEEPALIVE),
    )
    body = {"agent_id": agent, "password": password}
    r = await timed(stats, client, "POST /auth/login", "POST", "/auth/login", json=body)
    if r is None or r.status != 200:
        await client.close()
        raise RuntimeError(f"agent {agent} could not sign in: {r and r.body!r}")
    client.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return client


async def hold_events(client: aiohttp.ClientSession, stats: Stats, stop: asyncio.Event) -> None:
    """The seat's event stream, open until `stop`; an end before that is a drop, and the
    seat reconnects with Last-Event-ID after 1 s like the console."""
    last_id = ""
    first = True
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=REQUEST_TIMEOUT)
    while not stop.is_set():
        headers = {"Last-Event-ID": last_id} if last_id else {}
        started = time.perf_counter()
        why = "ended"
        try:
            async with client.get(API + "/events", headers=headers, timeout=timeout) as r:
                if r.status != 200:
                    stats.fail("GET /events", f"HTTP {r.status}")
                    why = f"HTTP {r.status}"
                else:
                    async for raw in r.content:
                        line = raw.decode()
                        if line.startswith("id:"):
                            last_id = line[3:].strip()
                        elif line.startswith("event:"):
                            if first:  # the hello: the stream is open
                                stats.latency["GET /events (to hello)"].append(
                                    time.perf_counter() - started
                                )
                                first = False
                            stats.sse_events += 1
        except FAILURES as exc:
            why = type(exc).__name__
        except asyncio.CancelledError:
            return
        if stop.is_set():
            return
        stats.sse_drops[why] += 1
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def save_ticket(
    client: aiohttp.ClientSession, stats: Stats, body: dict[str, Any], key: str
) -> None:
    headers = {"Idempotency-Key": key}
    for attempt in range(TICKET_TRIES):
        if attempt:
            stats.ticket_retries += 1
            await asyncio.sleep(0.5 * attempt)
        r = await timed(
            stats, client, "POST /tickets", "POST", "/tickets", json=body, headers=headers
        )
        if r is not None and r.status in (200, 201):
            stats.tickets_ok.append(key)
            stats.replays += r.headers.get("Idempotent-Replayed") == "true"
            return
        if r is not None and r.status < 500:
            return  # refused: nothing was created
    stats.tickets_unsure.append(key)


async def call(
    client: aiohttp.ClientSession, stats: Stats, rng: random.Random, cfg: dict[str, Any], n: int
) -> None:
    """One call: type the lookup, open the top hit's card, maybe save a ticket."""
    turn = plan_turn(rng, cfg["samples"])
    stats.turns += 1
    hits: list[dict[str, Any]] = []
    for q in turn.queries:
        gap = rng.uniform(*TYPING_GAP)
        started = time.perf_counter()
        r = await timed(
            stats, client, "GET /callers?q=", "GET", "/callers", params={"q": q, "limit": 20}
        )
        stats.searches += 1
        if r is not None and r.status == 200:
            body = r.json()
            hits = body["items"]
            if body.get("partial"):
                stats.partial += 1
                stats.partial_kinds[turn.kind] += 1
                if len(stats.partial_queries) < 50:
                    stats.partial_queries.append(q)
        await asyncio.sleep(max(0.0, gap - (time.perf_counter() - started)))
    if not hits:
        stats.no_hit += 1
        return
    caller_id = hits[0]["id"]
    await timed(stats, client, "GET /callers/{id}", "GET", f"/callers/{caller_id}")
    if turn.ticket:
        key = f"{cfg['run_id']}-{uuid.UUID(int=rng.getrandbits(128))}"
        body = {
            "caller_id": caller_id,
            "category": rng.choice(cfg["categories"]),
            "priority": "normal",
            "source": "hotline",
            "summary": f"centre bench {key}",
            "notes": f"call {n} of the seat; lookup {turn.kind}",
            "station_id": "",
            "area": "production",
        }
        await save_ticket(client, stats, body, key)


async def seat(
    client: aiohttp.ClientSession,
    stats: Stats,
    rng: random.Random,
    cfg: dict[str, Any],
    on_at: float,
    end: float,
    stop: asyncio.Event,
) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, on_at - loop.time()))
    events = asyncio.create_task(hold_events(client, stats, stop))
    busy_until = loop.time()
    for n, at in enumerate(times := turn_times(on_at, end, rng)):
        now = loop.time()
        if now >= end:  # behind schedule at the end: the run stops, no backlog is served
            stats.skipped += len(times) - n
            break
        if busy_until > at:
            stats.overruns += 1
        else:
            await asyncio.sleep(max(0.0, at - now))
            stats.lag.append(loop.time() - at)
        await call(client, stats, rng, cfg, n)
        busy_until = loop.time()
    await stop.wait()
    events.cancel()
    await asyncio.gather(events, return_exceptions=True)


async def watch_loop(stats: Stats, stop: asyncio.Event, every: float = 0.1) -> None:
    """How late the event loop wakes: the driver's own saturation."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        t = loop.time()
        await asyncio.sleep(every)
        stats.loop_lag.append(loop.time() - t - every)


async def drive(cfg: dict[str, Any]) -> dict[str, Any]:
    stats = Stats()
    sem = asyncio.Semaphore(4)  # sign-ins are scrypt on the server: a few at a time

    async def one(agent: str) -> aiohttp.ClientSession:
        async with sem:
            return await sign_in(cfg["url"], agent, cfg["password"], stats)

    clients = await asyncio.gather(*(one(a) for a in cfg["agents"]))
    print("ready", flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    go_epoch = float(line.split()[1])
    loop = asyncio.get_running_loop()
    t0 = loop.time() + (go_epoch - time.time())
    end = t0 + cfg["duration"]
    stop = asyncio.Event()
    cpu0 = time.process_time()
    watcher = asyncio.create_task(watch_loop(stats, stop))
    offsets = ramp_offsets(cfg["seats_total"], cfg["ramp"])
    seats = [
        asyncio.create_task(
            seat(
                c,
                stats,
                random.Random(f"{cfg['seed']}-{index}"),
                cfg,
                t0 + offsets[index],
                end,
                stop,
            )
        )
        for c, index in zip(clients, cfg["seat_index"], strict=True)
    ]
    await asyncio.sleep(max(0.0, end - loop.time()))
    stop.set()  # no call starts after `end`; calls under way finish (bounded by timeouts)
    await asyncio.gather(*seats, return_exceptions=True)
    stop_at = loop.time()
    watcher.cancel()
    cpu = time.process_time() - cpu0
    print("done", flush=True)
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return {
        "latency": stats.latency,
        "errors": dict(stats.errors),
        "lag": stats.lag,
        "overruns": stats.overruns,
        "skipped": stats.skipped,
        "loop_lag": stats.loop_lag,
        "partial": stats.partial,
        "partial_kinds": dict(stats.partial_kinds),
        "partial_queries": stats.partial_queries,
        "no_hit": stats.no_hit,
        "turns": stats.turns,
        "searches": stats.searches,
        "sse_drops": dict(stats.sse_drops),
        "sse_events": stats.sse_events,
        "tickets_ok": stats.tickets_ok,
        "tickets_unsure": stats.tickets_unsure,
        "ticket_retries": stats.ticket_retries,
        "replays": stats.replays,
        "cpu": cpu,
        "tail": stop_at - end,
        "seats": len(clients),
    }


def main(argv: list[str]) -> int:
    cfg = json.loads(Path(argv[0]).read_text())
    try:
        import uvloop  # the server's loop too; the driver spends less CPU per request

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(drive(cfg))
    Path(cfg["out"]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
