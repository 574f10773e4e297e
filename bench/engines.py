"""Lookup on SQLite vs PostgreSQL: the same seeded data, every query kind, in-process.

Seeds the same deterministic data (bench/seed) into a SQLite file (cached in
bench/.cache) and into PostgreSQL (PG_URL, or a throwaway cluster started with the
machine's initdb/pg_ctl, see tests/pgcluster.py), then times each engine's storage
search for every kind an agent types, including one- and two-character Chinese (the
n-gram side table's case), and counts queries whose results differ between engines.

The knowledge base is compared the same way on its own database (ENGINES_ARTICLES,
50,000 by default as in bench/kb.py, whose SQLite file it reuses; 0 leaves it out):
the kb benchmark's queries, and one and two Chinese characters cut from articles.

Run: `python -m bench engines` (ENGINES_CALLERS=100000 ENGINES_LISTINGS=10000 by
default; about 3 minutes to seed both on 2 cores, the first time).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from pathlib import Path

from bench.common import log, summary_ms, table
from bench.guard import stopped_at_exit
from bench.lookup import storage_times
from bench.lookup_data import CACHE, Kind, sample_kinds

CALLERS = int(os.environ.get("ENGINES_CALLERS", 100_000))
LISTINGS = int(os.environ.get("ENGINES_LISTINGS", 10_000))
PER_KIND = int(os.environ.get("ENGINES_PER_KIND", 200))
ARTICLES = int(os.environ.get("ENGINES_ARTICLES", 50_000))
KB_ROUNDS = 40  # timings per fixed kb query (bench/kb.py's figure)


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


def kb_kinds(db: Path, n: int, seed: int = 7) -> list[tuple[str, list[tuple[str, dict]]]]:
    """The kb benchmark's queries (each repeated), and one and two Chinese characters
    cut from random article titles and bodies (common and rare alike)."""
    import sqlite3

    from bench.kb import QUERIES

    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM kb_articles").fetchone()[0]
    ones: list[str] = []
    twos: list[str] = []
    while len(twos) < n:
        row = conn.execute(
            "SELECT title, body FROM kb_articles WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, top),),
        ).fetchone()
        run = "".join(ch for ch in rng.choice(row) if "\u4e00" <= ch <= "\u9fff")
        if len(run) >= 2:
            i = rng.randrange(len(run) - 1)
            ones.append(run[i])
            twos.append(run[i : i + 2])
    conn.close()
    kinds = [(f"KB: {label}", [(q, f)] * KB_ROUNDS) for label, q, f in QUERIES]
    return [
        *kinds,
        ("KB: 1 Chinese character", [(q, {}) for q in ["龘", "䶮", *ones][:n]]),
        ("KB: 2 Chinese characters", [(q, {}) for q in ["龘龘", *twos][:n]]),
    ]


def kb_compare(
    lite: object, pg: object, kinds: list[tuple[str, list[tuple[str, dict]]]]
) -> tuple[list[list[object]], int, int]:
    """Rows of the table for the kb kinds, and (differing, total) distinct queries."""
    rows: list[list[object]] = []
    differ = total = 0
    checked: set[tuple[str, str]] = set()
    for label, queries in kinds:
        times: dict[str, list[float]] = {"sqlite": [], "postgres": []}
        for name, storage in (("sqlite", lite), ("postgres", pg)):
            search = storage.search_kb  # type: ignore[attr-defined]
            for q, f in queries[:3]:
                search(q, 20, **f)  # warm
            for q, f in queries:
                started = time.perf_counter()
                search(q, 20, **f)
                times[name].append(time.perf_counter() - started)
        for q, f in queries:
            key = (q, repr(sorted(f.items())))
            if key in checked:
                continue
            checked.add(key)
            a = [(r["id"], r["match"]) for r in lite.search_kb(q, 20, **f)]  # type: ignore[attr-defined]
            b = [(r["id"], r["match"]) for r in pg.search_kb(q, 20, **f)]  # type: ignore[attr-defined]
            total += 1
            differ += a != b
        a_ms, b_ms = summary_ms(times["sqlite"]), summary_ms(times["postgres"])
        rows.append(
            [label, a_ms["n"], a_ms["p50"], a_ms["p95"], b_ms["p50"], b_ms["p95"],
             b_ms["p95"] / a_ms["p95"]]
        )  # fmt: skip
    return rows, differ, total


def _kb_part(cluster: object, url: str) -> tuple[str, list[list[object]], int, int]:
    """Seed the articles into their own PostgreSQL database and compare (a PG_URL
    given from outside needs PG_KB_URL for this part)."""
    from agent_console.server.seed import seed_database
    from agent_console.server.storage import open_storage
    from bench.kb import seeded_db

    if ARTICLES != 50_000 or not (cluster is not None or os.environ.get("PG_KB_URL")):
        return (
            "knowledge base left out (ENGINES_ARTICLES=50000 and a cluster or PG_KB_URL)",
            [],
            0,
            0,
        )
    lite_db = seeded_db()
    kb_url = os.environ.get("PG_KB_URL") or cluster.create_database("bench_kb")  # type: ignore[attr-defined]
    log("seeding PostgreSQL knowledge base...")
    started = time.perf_counter()
    seed_database(kb_url, articles=ARTICLES)
    seeded = time.perf_counter() - started
    lite, pg = open_storage(str(lite_db)), open_storage(kb_url)
    try:
        rows, differ, total = kb_compare(lite, pg, kb_kinds(lite_db, PER_KIND))
    finally:
        lite.close()
        pg.close()
    note = f"{ARTICLES:,} articles, PostgreSQL seeded in {seeded:.0f} s"
    return note, rows, differ, total


def run() -> str:
    from agent_console.server.seed import seed_database
    from agent_console.server.storage import open_storage

    db = _sqlite_db()
    kinds = sample_kinds(db, PER_KIND) + cjk_kinds(db, PER_KIND)
    cluster = None
    url = os.environ.get("PG_URL", "")
    with contextlib.ExitStack() as stack:
        if not url:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.pgcluster import PgCluster, find_bindir

            bindir = find_bindir()
            if bindir is None:
                return "PostgreSQL is not installed (set PG_URL or install initdb/pg_ctl)"
            cluster = PgCluster(bindir)
            stack.enter_context(stopped_at_exit(cluster)).start()
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
        kb_note, kb_rows, kb_differ, kb_total = _kb_part(cluster, url)
    rows = []
    for kind in kinds:
        a, b = summary_ms(times["sqlite"][kind.key]), summary_ms(times["postgres"][kind.key])
        rows.append(
            [kind.label, a["n"], a["p50"], a["p95"], b["p50"], b["p95"], b["p95"] / a["p95"]]
        )
    head = ["kind", "n", "SQLite p50", "SQLite p95", "PG p50", "PG p95", "PG/SQLite p95"]
    return (
        f"{CALLERS:,} callers, {LISTINGS:,} listings; storage search, in-process, ms; "
        f"PostgreSQL seeded in {seeded:.0f} s; {kb_note}\n\n"
        + table(head, rows + kb_rows)
        + f"\n\nresults that differ between engines: lookup {differ} of {total} queries"
        + (f", knowledge base {kb_differ} of {kb_total}" if kb_total else "")
    )
