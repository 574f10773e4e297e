"""The lookup probes in process, old database against new: main's statements (the
character tables) on a copy made before a schema step, this tree's on the upgraded
cache, query by query alternated (the same moments of a shared machine), and the
same hits checked for every query.

`python -m bench probes_ab --before bench/.cache/lookup-1000000-100000-schema13.db`:
the "before" side runs this tree's probes with the runs of tokens its file lacks
switched off (SearchTarget.pairs, .triples, .fives, .sevens: the tables of schema
steps 14, 16, 17, 18), which are the statements the older code runs; both files are
opened read-only, so neither is upgraded.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.common import table

HEADERS = ["query kind", "before p50 ms", "before p95 ms", "after p50 ms", "after p95 ms"]


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[int(0.95 * (len(xs) - 1))]


def run(before: Path | None = None, passes: int = 2, per_kind: int = 100, limit: int = 20) -> str:
    """The table; `before` defaults to the cache's copy made before step 14."""
    from agent_console.server.search_plan import Probe, plan_callers, plan_directory
    from agent_console.server.storage.sql.callers import CALLERS
    from agent_console.server.storage.sql.core import SearchTarget
    from agent_console.server.storage.sql.directory import DIRECTORY
    from agent_console.server.storage.sqlite.search import probe_sql
    from bench.lookup_data import CACHE, LISTINGS, ensure_database, sample_kinds
    from bench.lookup_data import CALLERS as N_CALLERS

    before = before or CACHE / f"lookup-{N_CALLERS}-{LISTINGS}-schema13.db"
    after = ensure_database()
    old = sqlite3.connect(f"file:{before}?mode=ro", uri=True)
    new = sqlite3.connect(f"file:{after}?mode=ro", uri=True)
    kinds = sample_kinds(after, per_kind)
    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def as_before(target: SearchTarget) -> SearchTarget:
        """`target` without the runs of tokens the older file has no tables for."""
        runs = {
            "pairs": target.pairs,
            "triples": target.triples,
            "fives": target.fives,
            "sevens": target.sevens,
        }
        return replace(
            target, **{k: v if set(v.values()) <= tables else {} for k, v in runs.items()}
        )

    def search(
        conn: sqlite3.Connection,
        target: SearchTarget,
        plan: Callable[[str], list[Probe]],
        q: str,
    ) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for probe in plan(q):
            if len(seen) >= limit:
                break
            sql, params = probe_sql(target, probe, limit)
            for (i,) in conn.execute(sql, params).fetchall():
                seen.setdefault(i, probe.kind)
                if len(seen) >= limit:
                    break
        return list(seen.items())

    rows: list[list[object]] = []
    start = f"load {os.getloadavg()[0]:.1f} at {time.strftime('%H:%M')}"
    for k in kinds:
        target = CALLERS if k.endpoint == "callers" else DIRECTORY
        plan = plan_callers if k.endpoint == "callers" else plan_directory
        a: list[float] = []
        b: list[float] = []
        for n in range(passes + 1):  # the first pass warms the page cache
            for q in k.queries:
                t0 = time.perf_counter()
                ra = search(old, as_before(target), plan, q)
                t1 = time.perf_counter()
                rb = search(new, target, plan, q)
                t2 = time.perf_counter()
                if ra != rb:
                    raise SystemExit(f"{k.label}: {q!r} found {rb} after, {ra} before")
                if n:
                    a.append(1000 * (t1 - t0))
                    b.append(1000 * (t2 - t1))
        rows.append([k.label, statistics.median(a), _p95(a), statistics.median(b), _p95(b)])
    end = f"load {os.getloadavg()[0]:.1f} at {time.strftime('%H:%M')}"
    return f"{start} -> {end}; the same hits for every query\n\n" + table(HEADERS, rows)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench probes_ab",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--before", default="", help="the database made before the step")
    p.add_argument("--passes", type=int, default=2)
    p.add_argument("--per-kind", type=int, default=100)
    a = p.parse_args(argv)
    from bench.common import machine

    print(f"machine: {machine()}\n")
    print(run(Path(a.before) if a.before else None, a.passes, a.per_kind))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
