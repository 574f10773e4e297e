"""The databases bench/centre runs on, and the count of tickets after a run.

SQLite: the 1,000,000-caller lookup database (bench/.cache, seeded once by bench/lookup)
copied for each run with the SQLite backup API (never the file: the server writes to
the copy), plus the bench's agents. PostgreSQL: a cluster kept in bench/.cache/pg15
between runs, loaded once with `agent-console migrate-db` (timed; the time is kept in
a marker file), and one database per run made from it with CREATE DATABASE ... TEMPLATE.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import log
from bench.lookup_data import CACHE, CALLERS, ensure_database

ROOT = Path(__file__).resolve().parent.parent
AGENTS = 1000  # bench agents in every database: seats up to this many
PASSWORD = "demo"
PG_BASE = "centre"


def agent_id(seat: int) -> str:
    return str(70001 + seat)


def cheap_hash(password: str) -> str:
    """The server's scrypt hash format with N=2**10 instead of 2**14: the stored hash
    carries its parameters, so sign-in runs the real code, 16 times cheaper. 400
    sign-ins at full cost took ~50 s of a shared 2-core machine before every run."""
    import base64
    import hashlib

    salt = b"centre-bench-salt"
    n, r, p = 2**10, 8, 1
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def bench_agents() -> list[dict[str, object]]:
    password_hash = cheap_hash(PASSWORD)  # one hash for all, as the demo does
    return [
        {
            "id": agent_id(i),
            "name": f"坐席{i + 1}",
            "role": "agent",
            "agent_no": agent_id(i),
            "hotline": "961655",
            "language": "zh",
            "password_hash": password_hash,
            "station": "",
        }
        for i in range(AGENTS)
    ]


def ticket_categories() -> list[str]:
    """The heating line's leaf categories (what a 961655 agent files)."""
    from agent_console.server.demo import demo_rows

    rows = demo_rows("categories.toml", "category")
    parents = {r["parent"] for r in rows}
    return [r["id"] for r in rows if r["hotline"] == "961655" and r["id"] not in parents]


def sqlite_copy(target: Path) -> Path:
    """A fresh copy of the lookup database with the bench agents, at `target`."""
    source = ensure_database()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    from agent_console.server.storage import open_storage

    storage = open_storage(str(target))
    if storage.get_agent(agent_id(0)) is None:
        storage.bulk_load("agents", bench_agents())
    storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.close()
    return target


# -- PostgreSQL --------------------------------------------------------------------------
def _pg_cluster_class() -> type:
    sys.path.insert(0, str(ROOT))
    from tests.pgcluster import PgCluster, _free_port, find_bindir

    class BenchCluster(PgCluster):
        """tests/pgcluster's cluster, kept in bench/.cache/pg15 and durable (fsync on,
        synchronous commit, as a centre runs it), not removed on stop."""

        def __init__(self) -> None:
            bindir = find_bindir()
            if bindir is None:
                raise RuntimeError("PostgreSQL is not installed (initdb/pg_ctl)")
            self.bindir = bindir
            self.base = CACHE / "pg15"
            self.data = self.base / "data"
            self.port = _free_port()
            self._user = "nobody" if os.geteuid() == 0 else None

        def start(self) -> BenchCluster:
            self.base.mkdir(parents=True, exist_ok=True)
            if self._user:
                import pwd

                pw = pwd.getpwnam(self._user)
                os.chown(self.base, pw.pw_uid, pw.pw_gid)
            if not (self.data / "PG_VERSION").exists():
                self._run(
                    "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                    "--encoding=UTF8", "--locale=C.UTF-8",
                )  # fmt: skip
            options = (
                f"-c port={self.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={self.base} -c max_connections=200 "
                "-c shared_buffers=512MB"
            )
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w",
                "-t", "120", "-o", options, "start",
            )  # fmt: skip
            return self

        def stop(self) -> None:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

        def postmaster_pid(self) -> int:
            return int((self.data / "postmaster.pid").read_text().split()[0])

    return BenchCluster


def pg_cluster() -> Any:
    """The benchmark's cluster, not started yet (start it inside `stopped_at_exit`)."""
    return _pg_cluster_class()()


def pg_base(cluster: object) -> dict[str, float]:
    """The 1,000,000 callers in PostgreSQL, once: `agent-console migrate-db` from a SQLite
    copy (timed). Returns what the marker file keeps: {"seconds": ...}."""
    import psycopg

    marker = CACHE / "pg15" / "migrated.json"
    if marker.exists():
        done = json.loads(marker.read_text())
        return done

    with psycopg.connect(cluster.url(), autocommit=True) as conn:  # type: ignore[attr-defined]
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_BASE,)).fetchone()
    if not exists:
        cluster.create_database(PG_BASE)  # type: ignore[attr-defined]
    source = sqlite_copy(CACHE / "centre-migrate.db")
    log(f"migrate-db: {CALLERS:,} callers into PostgreSQL (once; resumable)...")
    started = time.perf_counter()
    cli = Path(sys.executable).parent / "agent-console"
    subprocess.run(
        [str(cli), "migrate-db", "--from", str(source), "--to", cluster.url(PG_BASE)],  # type: ignore[attr-defined]
        check=True,
        stdout=subprocess.DEVNULL,
    )
    done = {"seconds": time.perf_counter() - started, "at": time.strftime("%Y-%m-%d %H:%M")}
    marker.write_text(json.dumps(done))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    return done


def pg_run_database(cluster: object, name: str) -> str:
    cluster.sql(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[attr-defined]
    cluster.sql(  # type: ignore[attr-defined]
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{PG_BASE}' AND pid <> pg_backend_pid()"
    )  # an autovacuum worker on the template would refuse the copy
    cluster.sql(f'CREATE DATABASE "{name}" TEMPLATE "{PG_BASE}" STRATEGY FILE_COPY')  # type: ignore[attr-defined]
    return str(cluster.url(name))  # type: ignore[attr-defined]


# -- after the run -----------------------------------------------------------------------
def bench_tickets(db: str, run_id: str) -> dict[str, int]:
    """{idempotency key: tickets with it} for this run's tickets (the key is in the
    summary, so a ticket made twice for one key shows as 2)."""
    like = f"centre bench {run_id}-%"
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            rows = conn.execute("SELECT summary FROM tickets WHERE summary LIKE %s", (like,))
            summaries = [r[0] for r in rows]
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = conn.execute("SELECT summary FROM tickets WHERE summary LIKE ?", (like,))
        summaries = [r[0] for r in rows]
        conn.close()
    counts: dict[str, int] = {}
    for s in summaries:
        key = s.removeprefix("centre bench ")
        counts[key] = counts.get(key, 0) + 1
    return counts
