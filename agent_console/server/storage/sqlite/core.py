"""Connections, transactions and migrations for the SQLite engine."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path

from agent_console.server.phrase_match import (
    token_fives,
    token_pairs,
    token_sevens,
    token_triples,
)
from agent_console.server.storage.base import (
    ConstraintViolation,
    StorageError,
    Unavailable,
    WouldWait,
)
from agent_console.server.storage.sql.core import SqlCore
from agent_console.server.storage.sql.dialect import SQLITE
from agent_console.server.storage.sqlite.schema import LATEST, MIGRATIONS

#: The whole file mapped (up to SQLite's own 2 GiB ceiling, SQLITE_MAX_MMAP_SIZE), not
#: its first 256 MiB: the lookup's pair, triple and five tables are written last (schema
#: steps 14-17), past 256 MiB of a 1M-caller file (875 MB), so every page of them a
#: search touched was a read() copied into the 64 MiB cache, which the callers' rows
#: evict. In process, bench/lookup's queries each run once on a new connection (a warm
#: machine, load 2-3, 4 rounds alternated): p50 lower for the kinds that read the FTS
#: tables or scattered rows (address 0.34 -> 0.29 ms, organisation 0.20 -> 0.13, last
#: four digits 0.26 -> 0.23), within 0.01 ms for the others; p95s moved with the load
#: either way. The mapping is address space over the OS page cache, shared by every
#: connection and process.
MMAP_BYTES = 2_147_418_112


class SQLiteCore(SqlCore):
    """One connection per thread (FastAPI runs sync routes in a thread pool), WAL mode.

    The shared SQL is written in SQLite's spelling, so its dialect changes nothing.
    `synchronous=FULL`: a ticket the server acknowledged survives a power cut, not
    only a crash; tickets are few, so the fsync per commit is affordable.
    """

    dialect = SQLITE
    reads_in_process = True

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate(self.db)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = sqlite3.Row
        # Schema steps 14, 16 and 17 fill the pair, triple and five tables from the texts.
        conn.create_function("token_pairs", 1, token_pairs, deterministic=True)
        conn.create_function("token_triples", 1, token_triples, deterministic=True)  # step 16
        conn.create_function("token_fives", 1, token_fives, deterministic=True)  # step 17
        conn.create_function("token_sevens", 1, token_sevens, deterministic=True)  # step 18
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        with self._lock:
            self._connections.append(conn)
        return conn

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def brief_waits(self) -> Generator[None, None, None]:
        """Readers of a WAL file wait for nobody, except a process that holds the file
        (recovering it after a crash, or a tool in exclusive mode): then the read gives
        up after 50 ms with WouldWait, and the caller runs it again in a thread, where
        the usual 30 s apply. Costs two pragmas, ~6 us."""
        conn = self.db
        conn.execute("PRAGMA busy_timeout=50")
        try:
            yield
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise WouldWait(str(error)) from error
            raise
        finally:
            conn.execute("PRAGMA busy_timeout=30000")

    @contextmanager
    def write(self) -> Generator[sqlite3.Connection, None, None]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks);
        a row the database refused (unique key, reference) is a ConstraintViolation."""
        conn = self.db
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except sqlite3.IntegrityError as exc:
            conn.execute("ROLLBACK")
            raise ConstraintViolation(str(exc)) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def ping(self) -> None:
        """Raise unless the file is there and answers: a thread's connection opened
        before the file was removed would go on reading the removed file."""
        if self.path != ":memory:" and not Path(self.path).exists():
            raise Unavailable(f"the database file {self.path} is missing")
        self.db.execute("SELECT count(*) FROM schema_version").fetchone()

    def event_store(self) -> None:
        """None: SQLite is the one-process engine, its event bus stays in memory."""
        return None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Apply every known step not yet applied, in order; each is recorded on its own,
        so a step merged later with a lower number than one already applied still runs."""
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        applied = {r[0] for r in conn.execute("SELECT version FROM schema_version")}
        unknown = sorted(applied - {v for v, _ in MIGRATIONS})
        if unknown:
            raise StorageError(
                f"the database {self.path} has schema step(s) {unknown} that this server does "
                f"not know (it knows up to {LATEST}); upgrade agent-console before serving it"
            )
        # Foreign keys off while the schema changes (a step may rebuild a parent table,
        # SQLite's documented way to change a CHECK); checked after each step.
        conn.execute("PRAGMA foreign_keys=OFF")
        try:
            for version, sql in sorted(MIGRATIONS):
                if version in applied:
                    continue
                try:
                    conn.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\n"
                        f"INSERT INTO schema_version(version) VALUES ({version});\nCOMMIT;"
                    )
                except sqlite3.Error as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise StorageError(
                        f"schema step {version} failed on {self.path}: {exc}"
                    ) from exc
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StorageError(
                        f"schema step {version} left broken references on {self.path}: "
                        f"{[tuple(r) for r in broken[:5]]}"
                    )
        finally:
            conn.execute("PRAGMA foreign_keys=ON")

    def schema_version(self) -> int:
        return self.db.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
