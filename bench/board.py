"""The wallboard under a centre's load: from a CTI event posted to the `board` event that
shows it arriving on a supervisor's stream (issue 16; goal p95 < 1 s).

While `python -m bench centre`'s seats run (S signed-in seats with event streams, typing
lookups, opening cards, saving tickets: bench/centre.py), a phone system posts call
events to POST /api/v1/cti/{token} for three agents the seats do not drive (ring, answer,
hang up, one step every --step seconds), and a supervisor's stream (GET /events as 9001)
waits for the `board` event whose row for that agent shows the step (ringing, on a
call, off it). Only the steps inside the centre's measured window count; the server's
CPU over that window (core-seconds, from /proc) is printed beside the latencies.

Run: `python -m bench board --seats 400 --duration 40` (SQLite; the first run seeds the
lookup database as bench/lookup does). Loopback only, bounded by --duration.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.centre import Config, Server, drive
from bench.centre_setup import CACHE, sqlite_copy
from bench.common import log, pct
from bench.guard import ending_cleanly

API = "/api/v1"
PROBES = ("1001", "1002", "1003")  # demo agents; the seats are 70001...
SUPERVISOR = "9001"


@dataclass
class Board:
    """The supervisor's stream: every `board` event with its arrival time."""

    url: str
    seen: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    live: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def read(self, token: str) -> None:
        from agent_console.sse import SseParser

        parser = SseParser()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.stream(
            "GET", f"{self.url}{API}/events", headers=headers, timeout=httpx.Timeout(60)
        ) as r:
            for chunk in r.iter_text():
                for event in parser.feed(chunk):
                    if event.type == "hello":
                        self.live.set()
                    elif event.type == "board":
                        with self.cond:
                            self.seen.append((time.monotonic(), event.data))
                            self.cond.notify_all()
                if self.stop.is_set():
                    return

    def wait(self, after: float, agent: str, states: set[str], timeout: float = 10) -> float:
        """Seconds from `after` to the first board event after it showing `agent` in
        one of `states` (nan when none came within `timeout`)."""
        deadline = after + timeout
        with self.cond:
            start = 0
            while True:
                for at, data in self.seen[start:]:
                    rows = {a["agent_id"]: a for a in data.get("agents", [])}
                    if at >= after and rows.get(agent, {}).get("state") in states:
                        return at - after
                start = len(self.seen)
                left = deadline - time.monotonic()
                if left <= 0:
                    return float("nan")
                self.cond.wait(left)


def login(url: str, agent: str) -> str:
    r = httpx.post(f"{url}{API}/auth/login", json={"agent_id": agent, "password": "demo"})
    r.raise_for_status()
    return str(r.json()["token"])


def probe(url: str, token: str, board: Board, step: float, until: threading.Event) -> list:
    """Ring, answer and hang up at each probe agent in turn; (time, step, seconds to
    the board event, seconds the POST itself took)."""
    out: list[tuple[float, str, float, float]] = []
    door = f"{url}{API}/cti/{token}"
    with httpx.Client(timeout=10) as pbx:
        n = 0
        while not until.is_set():
            agent = PROBES[n % len(PROBES)]
            ref = f"board-{uuid.uuid4().hex}"
            plan = [
                ({"event": "newCall", "from": "13900000001", "to": "961655", "direction": "in",
                  "callId": ref, "user[]": agent}, "ring", {"ringing"}),
                ({"event": "answer", "callId": ref, "answeringNumber": agent}, "answer",
                 {"on_call"}),
                ({"event": "hangup", "callId": ref, "cause": "normalClearing"}, "hangup",
                 {"ready", "acw", "not_ready", "signed_out"}),
            ]  # fmt: skip
            for data, name, states in plan:
                sent = time.monotonic()
                pbx.post(door, data=data).raise_for_status()
                posted = time.monotonic() - sent
                out.append((sent, name, board.wait(sent, agent, states), posted))
                until.wait(step)
            n += 1
    return out


def run(seats: int = 400, duration: float = 40.0, step: float = 0.5) -> str:
    token = uuid.uuid4().hex
    os.environ["AGENT_CONSOLE_CTI_TOKEN"] = token  # the runner reads it (no flag in ps)
    db = str(sqlite_copy(CACHE / "board-run.db"))
    server = Server(db, 1, CACHE / f"board-server-{seats}.log")
    board = Board(server.url)
    until = threading.Event()
    samples: list[tuple[float, str, float, float]] = []
    try:
        reader = threading.Thread(target=board.read, args=(login(server.url, SUPERVISOR),))
        reader.daemon = True
        reader.start()
        if not board.live.wait(30):
            raise RuntimeError("the supervisor's stream did not open")
        prober = threading.Thread(
            target=lambda: samples.extend(probe(server.url, token, board, step, until)),
            daemon=True,
        )  # a failing step ends the probing: the table then says 0 steps
        prober.start()
        cfg = Config(seats=[seats], duration=duration, engines=["sqlite"])
        log(f"board: {seats} seats, {duration:g} s, a CTI step every {step:g} s...")
        groups = {"server": [server.proc.pid]}
        result = drive(server.url, seats, cfg, f"b{int(time.time())}", groups)
        end = time.monotonic()
        until.set()
        prober.join(15)
        board.stop.set()
    finally:
        server.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    window = [(n, lat, post) for at, n, lat, post in samples if end - result["window"] <= at <= end]
    return table(window, result, seats, step)


def table(
    window: list[tuple[str, float, float]], result: dict[str, Any], seats: int, step: float
) -> str:
    lines = [
        f"{seats} seats of bench/centre running; a CTI step every {step:g} s for 3 other agents",
        "(board: from sending the CTI POST to the board event on the supervisor's stream;",
        " POST: the CTI request alone, which the board time includes; board-POST: what",
        " the board event took after the POST was answered)",
        "",
        "| step | n | lost | board p50 ms | p95 | max | POST p50 ms | p95 | board-POST p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("ring", "answer", "hangup", "all"):
        mine = [(lat, post) for n, lat, post in window if name in (n, "all")]
        got = sorted(lat * 1000 for lat, _ in mine if lat == lat)  # nan: never came
        posts = sorted(post * 1000 for _, post in mine)
        after = sorted((lat - post) * 1000 for lat, post in mine if lat == lat)
        lost = len(mine) - len(got)
        if got:
            lines.append(
                f"| {name} | {len(got)} | {lost} | {pct(got, 50):.0f} | {pct(got, 95):.0f} "
                f"| {got[-1]:.0f} | {pct(posts, 50):.0f} | {pct(posts, 95):.0f} "
                f"| {pct(after, 95):.0f} |"
            )
        else:
            lines.append(f"| {name} | 0 | {lost} | - | - | - | - | - | - |")
    cpu = result["cpu"]
    lines += [
        "",
        f"server CPU over the {result['window']:.0f} s window: {cpu['server']:.1f} core-s "
        f"({cpu['server'] / result['window']:.0%} of a core); machine busy "
        f"{cpu['busy']:.0f} of {cpu['capacity']:.0f} core-s (others: {cpu['others']:.0f})",
        f"seat errors: {sum(sum(o['errors'].values()) for o in result['outs'])}",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench board",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--seats", type=int, default=400, help="centre seats under load")
    p.add_argument("--duration", type=float, default=40.0, help="seconds of load")
    p.add_argument("--step", type=float, default=0.5, help="seconds between CTI events")
    a = p.parse_args(argv)
    from bench.common import machine

    with ending_cleanly():
        print(f"machine: {machine()}\ndate: {time.strftime('%Y-%m-%d %H:%M')}\n")
        print(run(a.seats, a.duration, a.step))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
