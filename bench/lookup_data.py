"""The lookup benchmark's database and what agents type into it, shared by the
benchmarks that search it (lookup, keys, engines, centre).

The database (1,000,000 callers and 100,000 listings by default; LOOKUP_CALLERS and
LOOKUP_LISTINGS for a quick look) is seeded once into bench/.cache (gitignored, about
4 minutes on 2 cores) and reused; the queries of every kind are taken from its rows,
so they match.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import sqlite3
import sys
import time
from pathlib import Path

from bench.common import log

CACHE = Path(__file__).resolve().parent / ".cache"
CALLERS = int(os.environ.get("LOOKUP_CALLERS", 1_000_000))
LISTINGS = int(os.environ.get("LOOKUP_LISTINGS", 100_000))


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    endpoint: str  # callers | directory
    queries: list[str]


# -- the database ----------------------------------------------------------------------
def ensure_database() -> Path:
    from agent_console.server.seed import seed_database
    from agent_console.server.storage import open_storage

    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"lookup-{CALLERS}-{LISTINGS}.db"
    if not db.exists():
        log(f"seeding {db.name} ({CALLERS:,} callers, {LISTINGS:,} listings; once)...")
        started = time.perf_counter()
        tmp = db.with_suffix(".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        seed_database(str(tmp), callers=CALLERS, directory=LISTINGS, progress=sys.stderr)
        tmp.rename(db)
        log(f"seeded in {time.perf_counter() - started:.0f} s")
    storage = open_storage(str(db))  # applies newer schema steps to an older cache
    storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.close()
    return db


# -- what agents type ------------------------------------------------------------------
NO_MATCH = ["号楼单元", "花园小区", "大学南街", "大街华", "街路", "小区大学", "南路花园"]


def sample_kinds(db: Path, n: int, seed: int = 3) -> list[Kind]:
    """Queries of every kind, taken from rows of the database (so they match)."""
    from agent_console.server.seed import STREETS
    from agent_console.server.textkeys import pinyin_initials

    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM callers").fetchone()[0]
    callers = []
    while len(callers) < n:
        row = conn.execute(
            "SELECT phone_digits, account_no, name, address, compound FROM callers "
            "WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, top),),
        ).fetchone()
        if row and row[1] and row[4] and re.search(r"[\u4e00-\u9fff]", row[2]):
            callers.append(row)
    mobiles = [c for c in callers if c[0].startswith("1")]
    top = conn.execute("SELECT max(id) FROM directory").fetchone()[0]
    listings = [
        conn.execute(
            "SELECT name, number_digits FROM directory WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, top),),
        ).fetchone()
        for _ in range(n)
    ]
    conn.close()

    def street_and_compound(address: str, compound: str) -> str:
        street = next((s for s in STREETS if s in address), "")
        return f"{street}{compound}" if street else compound

    return [
        Kind("phone", "full phone", "callers", [c[0] for c in callers]),
        Kind("prefix", "number prefix (7 digits)", "callers", [c[0][:7] for c in mobiles]),
        Kind("last4", "last 4 digits", "callers", [c[0][-4:] for c in callers]),
        Kind("account", "account no.", "callers", [c[1] for c in callers]),
        Kind("name", "name", "callers", [c[2] for c in callers]),
        Kind(
            "initials",
            "pinyin initials",
            "callers",
            [pinyin_initials(c[2], person=True) for c in callers],
        ),
        Kind(
            "address",
            "address substring",
            "callers",
            [street_and_compound(c[3], c[4]) for c in callers],
        ),
        Kind("compound", "compound", "callers", [c[4] for c in callers]),
        Kind("nomatch", "no match, common characters", "callers", (NO_MATCH * n)[:n]),
        Kind("dir_name", "directory: organisation", "directory", [r[0] for r in listings]),
        Kind(
            "dir_initials",
            "directory: pinyin initials",
            "directory",
            (["bjdx", "zgyd"] + [pinyin_initials(r[0]) for r in listings])[:n],
        ),
        Kind("dir_number", "directory: number", "directory", [r[1] for r in listings]),
    ]
