"""A whole centre on one backend: S seats under load, SQLite (1 worker) and PostgreSQL.

Every seat is its own signed-in agent holding an events stream open and, every 8-10 s,
typing a lookup (4-6 growing queries: full phone, mobile prefix, last 4, name, pinyin
initials, street + compound), opening the top hit's caller card and, one call in five,
saving a ticket with an Idempotency-Key (bench/centre_driver.py). 1,000,000 callers.

The server runs as its own process(es) (`python -m agent_console.server.runner`, with
`--workers N` where the runner has it), the seats in separate driver processes, so the
CPU each side used is read from /proc: server, PostgreSQL, drivers and everything else
on the machine (other people's test runs) over the measured window. The driver's own
lateness is reported (turn starts vs schedule, event-loop lag) so a saturated client is
not mistaken for a slow server. After the run the tickets are counted in the database:
every key the drivers saw confirmed must have exactly one ticket.

Run: `python -m bench centre`, or `python -m bench.centre --seats 100,400 --duration 60
--engines sqlite,postgres --pg-workers 2` (env: CENTRE_SEATS, CENTRE_DURATION,
CENTRE_ENGINES, CENTRE_PG_WORKERS, CENTRE_DRIVERS, CENTRE_RAMP). The first run copies
the lookup database and loads PostgreSQL once (migrate-db, timed); later runs reuse them.
Loopback only, bounded: each run stops after its duration (+ at most 15 s of tail).
`--profile`: py-spy samples the server (every worker) over the window and the run
prints the frames that held its CPU (bench/profile.py; the raw stacks are kept in
bench/.cache/centre-profile-ENGINE-Nw-SEATS.txt, for a flame graph).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.centre_load import cpu_snapshot, cpu_split, summarise
from bench.centre_setup import (
    CACHE,
    PASSWORD,
    ROOT,
    agent_id,
    bench_tickets,
    pg_base,
    pg_cluster,
    pg_run_database,
    sqlite_copy,
    ticket_categories,
)
from bench.common import log
from bench.guard import ending_cleanly, stopped_at_exit
from bench.lookup_data import ensure_database, sample_kinds

KIND_MAP = {  # bench/lookup's kinds -> what the seats type
    "phone": "phone",
    "prefix": "prefix",
    "last4": "last4",
    "name": "name",
    "initials": "initials",
    "address": "address",
}


@dataclass
class Config:
    seats: list[int] = field(default_factory=lambda: [400])
    duration: float = 60.0
    ramp: float = 5.0
    engines: list[str] = field(default_factory=lambda: ["sqlite", "postgres"])
    pg_workers: int = 2
    drivers: int = 2
    seed: int = 114
    profile: bool = False
    # {label: source tree} of the server code to run, in turn, `rounds` times: a
    # before/after pair alternated in one run (the same minutes of a shared machine).
    trees: dict[str, Path] = field(default_factory=lambda: {"": ROOT})
    rounds: int = 1

    @classmethod
    def from_env(cls) -> Config:
        env = os.environ.get
        return cls(
            seats=[int(s) for s in env("CENTRE_SEATS", "400").split(",")],
            duration=float(env("CENTRE_DURATION", "60")),
            ramp=float(env("CENTRE_RAMP", "5")),
            engines=env("CENTRE_ENGINES", "sqlite,postgres").split(","),
            pg_workers=int(env("CENTRE_PG_WORKERS", "2")),
            drivers=int(env("CENTRE_DRIVERS", "2")),
        )


def runner_has_workers() -> bool:
    from agent_console.server import runner

    return "--workers" in Path(runner.__file__).read_text()


class Server:
    """The backend as a child process on a socket this process bound (no port race)."""

    def __init__(self, db: str, workers: int, log_file: Path, tree: Path = ROOT) -> None:
        from agent_console.server.runner import free_listening_socket

        self.sock = free_listening_socket()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        ready = Path(tempfile.mkdtemp(prefix="centre-")) / "ready"
        cmd = [sys.executable, "-m", "agent_console.server.runner", "--db", db]
        cmd += ["--fd", str(self.sock.fileno()), "--ready-file", str(ready)]
        cmd += ["--log-level", "warning"]
        if workers > 1:
            cmd += ["--workers", str(workers)]
        self.log = log_file.open("w")
        # `-m` puts the working directory first on sys.path: the server is that tree's.
        env = {**os.environ, "PYTHONPATH": str(tree)}
        self.proc = subprocess.Popen(
            cmd,
            cwd=tree,
            env=env,
            pass_fds=(self.sock.fileno(),),
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 120
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not start: see {log_file}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()
        self.log.close()


def samples(per_kind: int = 300) -> dict[str, list[str]]:
    kinds = sample_kinds(ensure_database(), per_kind, seed=8)
    return {KIND_MAP[k.key]: k.queries for k in kinds if k.key in KIND_MAP}


def drive(
    url: str,
    seats: int,
    cfg: Config,
    run_id: str,
    groups: dict[str, list[int]],
    profile: Path | None = None,
) -> dict:
    """Start the drivers, sign every seat in, run, and return the merged results with
    the CPU each side used over the measured window."""
    work = Path(tempfile.mkdtemp(prefix="centre-drive-"))
    typed, categories = samples(), ticket_categories()
    procs = []
    n_drivers = max(1, min(cfg.drivers, seats))
    for d in range(n_drivers):
        mine = list(range(d, seats, n_drivers))
        conf = {
            "url": url,
            "agents": [agent_id(i) for i in mine],
            "seat_index": mine,
            "seats_total": seats,
            "password": PASSWORD,
            "samples": typed,
            "categories": categories,
            "seed": f"{cfg.seed}-{run_id}",
            "run_id": run_id,
            "duration": cfg.duration,
            "ramp": cfg.ramp,
            "out": str(work / f"out-{d}.json"),
        }
        path = work / f"driver-{d}.json"
        path.write_text(json.dumps(conf))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "bench.centre_driver", str(path)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    try:
        started = time.perf_counter()
        for p in procs:
            if p.stdout is None or p.stdout.readline().strip() != "ready":
                raise RuntimeError("a driver failed while signing in")
        sign_in = time.perf_counter() - started
        before = cpu_snapshot()
        go = time.time() + 0.5
        spy = None
        if profile is not None:
            from bench.profile import Profiler

            spy = Profiler(groups["server"][0], cfg.duration, profile)
        for p in procs:
            assert p.stdin is not None
            p.stdin.write(f"go {go}\n")
            p.stdin.flush()
        for p in procs:
            assert p.stdout is not None
            if p.stdout.readline().strip() != "done":
                raise RuntimeError("a driver failed during the run")
        window = time.time() - go
        after = cpu_snapshot()
        for p in procs:
            p.wait(60)
        if spy is not None:
            spy.wait()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    outs = [json.loads((work / f"out-{d}.json").read_text()) for d in range(n_drivers)]
    cpu = cpu_split(before, after, {**groups, "drivers": [p.pid for p in procs]})
    return {"outs": outs, "cpu": cpu, "window": window, "sign_in": sign_in}


def run_one(
    engine: str, seats: int, workers: int, cfg: Config, pg: Any = None, label: str = ""
) -> dict:
    run_id = f"r{int(time.time())}"
    tree = cfg.trees[label]
    log(f"{engine}, {workers} worker(s), {seats} seats, {cfg.duration:g} s {label}...")
    if engine == "sqlite":
        db = str(sqlite_copy(CACHE / "centre-run.db"))
    else:
        db = pg_run_database(pg, f"centre_run_{seats}")
    # One log per run: a later run must not wipe the traceback of an earlier 500.
    tag = f"{engine}-{workers}w-{seats}{'-' + label if label else ''}"
    server = Server(db, workers, CACHE / f"centre-server-{tag}.log", tree)
    try:
        groups = {
            "server": [server.proc.pid],
            "postgres": [pg.postmaster_pid()] if pg is not None else [],
        }
        stacks = CACHE / f"centre-profile-{tag}.txt" if cfg.profile else None
        if stacks is not None:
            stacks.unlink(missing_ok=True)
        result = drive(server.url, seats, cfg, run_id, groups, stacks)
    finally:
        server.stop()
    found = bench_tickets(db, run_id)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    else:
        pg.sql(f'DROP DATABASE IF EXISTS "centre_run_{seats}"')
    if stacks is not None:
        from bench.profile import top_frames

        what = f"{engine}, {workers} worker(s), {seats} seats"
        shown = top_frames(stacks) if stacks.exists() else "no samples (py-spy failed?)"
        print(f"profile of the server: {what}\n{shown}\n", flush=True)
    return {
        "engine": engine,
        "workers": workers,
        "seats": seats,
        "label": label,
        "found": found,
        **result,
    }


def run(cfg: Config | None = None) -> str:
    cfg = cfg or Config.from_env()
    ensure_database()
    has_workers = runner_has_workers()
    results, notes = [], []
    for engine in cfg.engines:
        with contextlib.ExitStack() as stack:
            pg = None
            workers = 1
            if engine == "postgres":
                # Stopped however the run ends, the minutes-long first load included.
                pg = stack.enter_context(stopped_at_exit(pg_cluster())).start()
                migrated = pg_base(pg)
                workers = cfg.pg_workers if has_workers else 1
                if cfg.pg_workers > 1 and not has_workers:
                    notes.append("PostgreSQL ran with 1 worker: this runner has no --workers yet.")
                notes.append(
                    f"PostgreSQL loaded with `agent-console migrate-db` in "
                    f"{migrated['seconds']:.0f} s ({migrated['at']}, cached since)."
                )
            for seats in cfg.seats:
                for _round in range(cfg.rounds):
                    for label in cfg.trees:
                        results.append(run_one(engine, seats, workers, cfg, pg, label))
    return summarise(results, cfg.duration, notes)


def parse_trees(text: str) -> dict[str, Path]:
    """`before=PATH,after=PATH` -> {label: tree}; "" -> this tree, unlabelled."""
    if not text.strip():
        return {"": ROOT}
    trees: dict[str, Path] = {}
    for part in text.split(","):
        label, sep, path = part.partition("=")
        tree = Path(path).resolve()
        if not sep or not label or not (tree / "agent_console" / "server").is_dir():
            raise SystemExit(f"--server-trees: {part!r} is not LABEL=PATH of a source tree")
        trees[label] = tree
    return trees


def main(argv: list[str]) -> int:
    base = Config.from_env()
    p = argparse.ArgumentParser(
        prog="python -m bench centre",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--seats", default=",".join(map(str, base.seats)), help="seat counts, e.g. 400,100"
    )
    p.add_argument("--duration", type=float, default=base.duration, help="seconds per run")
    p.add_argument("--ramp", type=float, default=base.ramp, help="seconds to bring the seats in")
    p.add_argument("--engines", default=",".join(base.engines), help="sqlite,postgres")
    p.add_argument(
        "--pg-workers", type=int, default=base.pg_workers, help="server workers on PostgreSQL"
    )
    p.add_argument("--drivers", type=int, default=base.drivers, help="driver processes")
    p.add_argument(
        "--profile", action="store_true", help="py-spy the server over the window (top frames)"
    )
    p.add_argument(
        "--server-trees",
        default="",
        help="LABEL=PATH,... source trees of the server to run in turn (e.g. "
        "before=../wt-main,after=.); default: this tree",
    )
    p.add_argument("--rounds", type=int, default=1, help="times each server tree runs, alternated")
    a = p.parse_args(argv)
    cfg = Config(
        seats=[int(s) for s in a.seats.split(",")],
        duration=a.duration,
        ramp=a.ramp,
        engines=a.engines.split(","),
        pg_workers=a.pg_workers,
        drivers=a.drivers,
        profile=a.profile,
        trees=parse_trees(a.server_trees),
        rounds=a.rounds,
    )
    from bench.common import machine

    with ending_cleanly():
        print(f"machine: {machine()}\ndate: {time.strftime('%Y-%m-%d %H:%M')}\n")
        print(run(cfg))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
