"""Keystroke to hits: a key typed in the lookup box -> the hits for the new query shown.

On the 1,000,000-caller database (bench/lookup's, seeded once into bench/.cache), for
every kind of query an agent types: the real App (Pilot, `run_test`) against the real
server over loopback. For each query the box holds all but its last character and
shows those hits; then the last key goes in as the terminal driver sends it, and the
clock stops when the screen has been refreshed with the DataTable holding the hits
for the completed query. Where the time went, per key: key to request (event dispatch,
debounce, the search worker), the request itself, filling the table, the refresh.

Beside it, in the same run: the server's own time for the same queries (GET
/api/v1/callers|directory, persistent connection) and GET /api/v1/health, the HTTP
floor the ratios are taken against. The machine is shared: read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
from collections.abc import Sequence
from typing import Any

import httpx

from bench.common import pct, table
from bench.guard import ending_cleanly
from bench.lookup import http_times
from bench.lookup_data import Kind, ensure_database, sample_kinds

TARGET_MS = 50.0


@dataclasses.dataclass
class Key:
    """One timed key press; perf_counter stamps (seconds)."""

    pressed: float
    fetch_start: float = 0.0
    fetch_end: float = 0.0
    shown: float = 0.0  # the table filled with the hits of the completed query
    painted: float = 0.0  # the screen refreshed after that
    cpu: list[float] = dataclasses.field(default_factory=list)  # the console's CPU, same points


def _stamp(key: Key, field: str) -> None:
    setattr(key, field, time.perf_counter())
    key.cpu.append(time.process_time())


def health_times(url: str, token: str, n: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{url}/api/v1", headers=headers, timeout=30) as client:
        for _ in range(5):
            client.get("/health")
        out = []
        for _ in range(n):
            started = time.perf_counter()
            client.get("/health").raise_for_status()
            out.append(time.perf_counter() - started)
    return out


async def _time_kind(app: Any, pilot: Any, kind: Kind, per_kind: int) -> list[Key]:
    from textual import events

    await app.action_open_screen("lookup" if kind.endpoint == "callers" else "directory")
    await pilot.pause()
    screen = app.screen
    box = screen.query_box()
    keys: list[Key] = []
    current: list[Key] = []  # the key being timed, if any
    done = asyncio.Event()
    fetch, show = screen.fetch, screen._show

    async def timed_fetch(query: str, limit: int) -> Any:
        if current and query == target[0]:
            _stamp(current[0], "fetch_start")
        page = await fetch(query, limit)
        if current and query == target[0]:
            _stamp(current[0], "fetch_end")
        return page

    def timed_show(page: object, seq: int, query: str) -> None:
        show(page, seq, query)
        if current and query == target[0] and not current[0].shown:
            key = current[0]
            _stamp(key, "shown")

            def painted() -> None:
                _stamp(key, "painted")
                done.set()

            screen.call_after_refresh(painted)

    target = [""]
    screen.fetch, screen._show = timed_fetch, timed_show
    try:
        for q in kind.queries[:per_kind]:
            if len(q) < 2:
                continue
            if box.value != q[:-1]:
                box.value = q[:-1]
            box.cursor_position = len(box.value)  # no selection: the key appends
            while not (screen._shown_seq == screen._seq and screen.shown_query == q[:-1].strip()):
                await asyncio.sleep(0.002)
            await pilot.pause()
            await asyncio.sleep(0.05)  # the debounce window of the previous query closed
            target[0], done = q.strip(), asyncio.Event()
            current[:] = [Key(time.perf_counter(), cpu=[time.process_time()])]
            app._driver.send_message(events.Key(q[-1], q[-1]))
            await asyncio.wait_for(done.wait(), 30)
            keys.append(current.pop())
            assert box.value == q, (box.value, q)
    finally:
        screen.fetch, screen._show = fetch, show
    return keys


async def _console(url: str, token: str, kinds: list[Kind], per_kind: int) -> dict[str, list[Key]]:
    from agent_console.app import AgentConsole
    from agent_console.client import BackendClient
    from agent_console.config import parse

    settings = parse("[events]\nenabled = false\n", "<bench>")
    settings = dataclasses.replace(
        settings, backend=dataclasses.replace(settings.backend, url=url, health_interval=60)
    )
    from agent_console import collector

    # As the `agent-console` entry does: the App resumes the collector after its first
    # paint and freezes what it built once every screen is mounted.
    collector.pause()
    app = AgentConsole(settings, BackendClient(url, token), remember_login=False)
    out: dict[str, list[Key]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        # Keys of a seat past its first seconds: every screen mounted.
        async with asyncio.timeout(60):
            while app.session.agent is None or app.mounts.last is not None:
                await asyncio.sleep(0.05)
        for kind in kinds:
            out[kind.key] = await _time_kind(app, pilot, kind, per_kind)
    await app.client.aclose()
    return out


def _loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _ms(samples: Sequence[float], p: float) -> float:
    return pct([s * 1000 for s in samples], p)


def run(per_kind: int = 40, server_per_kind: int = 100, kinds_wanted: str = "") -> str:
    from agent_console.backend_process import EmbeddedBackend
    from agent_console.config import LookupSettings

    load_before = _loadavg()
    db = ensure_database()
    kinds = sample_kinds(db, max(per_kind, server_per_kind))
    if kinds_wanted:
        kinds = [k for k in kinds if k.key in kinds_wanted.split(",")]
    # One agent typing thousands of queries: over the per-agent search budget (429).
    unlimited = ["--search-per-minute", "1000000", "--search-burst", "1000000"]
    with EmbeddedBackend(db, demo_data=False, extra_args=unlimited) as backend:
        token = backend.login("1001", "demo")
        health = health_times(backend.url, token, server_per_kind)
        server = http_times(backend.url, token, kinds, server_per_kind)
        console = asyncio.run(_console(backend.url, token, kinds, per_kind))
        health += health_times(backend.url, token, server_per_kind)  # before and after
    floor = _ms(health, 95)
    rows: list[list[object]] = [["GET /health (HTTP floor)", len(health), "", "", "", "", floor]]
    parts: list[list[object]] = []
    for kind in kinds:
        keys = console[kind.key]
        total = [k.painted - k.pressed for k in keys]
        p95 = _ms(total, 95)
        rows.append(
            [
                kind.label,
                len(keys),
                _ms(total, 50),
                p95,
                _ms(total, 100),
                "yes" if p95 < TARGET_MS else "NO",
                _ms(server[kind.key], 95),
                p95 / floor,
            ]
        )
        stages = ("pressed", "fetch_start", "fetch_end", "shown", "painted")
        row: list[object] = [kind.label]
        for i in range(4):  # wall p50 / console CPU p50 of each stage
            a, b = stages[i], stages[i + 1]
            row.append(_ms([getattr(k, b) - getattr(k, a) for k in keys], 50))
            row.append(_ms([k.cpu[i + 1] - k.cpu[i] for k in keys], 50))
        cpu = [k.cpu[-1] - k.cpu[0] for k in keys]
        parts.append([*row, _ms(cpu, 50), _ms(cpu, 95)])
    rows[0] += [1.0]
    debounce = LookupSettings().debounce_ms
    return "\n\n".join(
        [
            table(
                [
                    "query kind",
                    "keys",
                    "key to hits p50",
                    "p95",
                    "max",
                    f"p95 < {TARGET_MS:g}",
                    "server p95 (same queries)",
                    "key p95 / health p95",
                ],
                [r + [""] * (8 - len(r)) for r in rows],
            ),
            table(
                [
                    "where the time went, p50 ms (wall / console CPU)",
                    "key to request",
                    "CPU",
                    "request",
                    "CPU",
                    "table filled",
                    "CPU",
                    "refreshed",
                    "CPU",
                    "console CPU per key p50",
                    "p95",
                ],
                parts,
            ),
            f"{per_kind} key presses per kind (console, debounce {debounce} ms, 120x40), "
            f"{server_per_kind} queries per kind (server), {len(health)} health requests; "
            "milliseconds; load average before / after: "
            f"{load_before} / {_loadavg()}",
        ]
    )


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench keys",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--keys", type=int, default=40, help="timed key presses per kind")
    p.add_argument("--server", type=int, default=100, help="server queries per kind")
    p.add_argument("--kinds", default="", help="only these kinds, e.g. phone,name,address")
    a = p.parse_args(argv)
    from bench.common import machine

    with ending_cleanly():
        print(f"machine: {machine()}\ndate: {time.strftime('%Y-%m-%d %H:%M')}\n")
        print(run(a.keys, a.server, a.kinds))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
