"""Lookup on SQLite vs PostgreSQL: the same seeded data, every query kind, in-process.

Seeds the same deterministic data (bench/seed) into a SQLite file (cached in
bench/.cache) and into PostgreSQL (PG_URL, or a throwaway cluster started with the
machine's initdb/pg_ctl, see tests/pgcluster.py), then times each engine's storage
search for every kind an agent types, including one- and two-character Chinese (the
n-gram side table's case), and counts queries whose results differ between engines.

Run: `python -m bench engines` (ENGINES_CALLERS=100000 ENGINES_LISTINGS=10000 by
default; about 2 minutes to seed both on 2 cores, the first time).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from bench.common import summary_ms, table
from bench.lookup import CACHE, Kind, log, sample_kinds, storage_times

CALLERS = int(os.environ.get("ENGINES_CALLERS", 100_000))
LISTINGS = int(os.environ.get("ENGINES_LISTINGS", 10_000))
PER_KIND = int(os.environ.get("ENGINES_PER_KIND", 200))


def _sqlite_db() -> Path:
    from agent_console.server.seed import seed_database

    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"engines-{CALLERS}-{LISTINGS}.db"
    if not db.exists():
        log(f"seeding SQLite {db.name}...")
        tmp = db.with_suffix(".partial")
        tmp.unlink(missing_ok=True)
        seed_database(str(tmp), callers=CALLERS, directory=LISTINGS)
        tmp.rename(db)
    return db


def cjk_kinds(db: Path, n: int, seed: int = 5) -> list[Kind]:
    """One and two Chinese characters cut from random addresses (common and rare)."""
    import sqlite3

    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM callers").fetchone()[0]
    ones, twos = [], []
    while len(twos) < n:
        (address,) = conn.execute(
            "SELECT address FROM callers WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, top),),
        ).fetchone()
        run = "".join(ch for ch in address if "\u4e00" <= ch <= "\u9fff")
        if len(run) >= 2:
            i = rng.randrange(len(run) - 1)
            ones.append(run[i])
            twos.append(run[i : i + 2])
    conn.close()
    rare = ["龘", "䶮", "靐"]  # in no address: the side table answers at once
    return [
        Kind("cjk1", "1 Chinese character", "callers", rare + ones),
        Kind("cjk2", "2 Chinese characters", "callers", ["龘龘", *twos]),
    ]


def run() -> str:
    from agent_console.server.seed import seed_database
    from agent_console.server.storage import open_storage

    db = _sqlite_db()
    kinds = sample_kinds(db, PER_KIND) + cjk_kinds(db, PER_KIND)
    cluster = None
    url = os.environ.get("PG_URL", "")
    try:
        if not url:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.pgcluster import PgCluster, find_bindir

            bindir = find_bindir()
            if bindir is None:
                return "PostgreSQL is not installed (set PG_URL or install initdb/pg_ctl)"
            cluster = PgCluster(bindir).start()
            url = cluster.create_database("bench")
        log("seeding PostgreSQL...")
        started = time.perf_counter()
        seed_database(url, callers=CALLERS, directory=LISTINGS)
        seeded = time.perf_counter() - started
        lite, pg = open_storage(str(db)), open_storage(url)
        times = {"sqlite": storage_times(lite, kinds, PER_KIND)}
        times["postgres"] = storage_times(pg, kinds, PER_KIND)
        differ = total = 0
        for kind in kinds:
            search_a = getattr(lite, f"search_{kind.endpoint}")
            search_b = getattr(pg, f"search_{kind.endpoint}")
            for q in kind.queries[:PER_KIND]:
                a = [(r["id"], r["match"]) for r in search_a(q, 20).items]
                b = [(r["id"], r["match"]) for r in search_b(q, 20).items]
                total += 1
                differ += a != b
        lite.close()
        pg.close()
    finally:
        if cluster is not None:
            cluster.stop()
    rows = []
    for kind in kinds:
        a, b = summary_ms(times["sqlite"][kind.key]), summary_ms(times["postgres"][kind.key])
        rows.append(
            [kind.label, a["n"], a["p50"], a["p95"], b["p50"], b["p95"], b["p95"] / a["p95"]]
        )
    head = ["kind", "n", "SQLite p50", "SQLite p95", "PG p50", "PG p95", "PG/SQLite p95"]
    return (
        f"{CALLERS:,} callers, {LISTINGS:,} listings; storage search, in-process, ms; "
        f"PostgreSQL seeded in {seeded:.0f} s\n\n"
        + table(head, rows)
        + f"\n\nresults that differ between engines: {differ} of {total} queries"
    )
