"""Connections, transactions and migrations for the PostgreSQL engine.

The shared area mixins (storage/sql) are written against SqlCore's surface
(`self.db.execute(...)`, `with self.write() as db`, `one`, `all`, `insert`, rows
readable by name and position). This core gives them that surface on a psycopg 3
connection pool, each statement run with PostgreSQL's numbered parameters (see
sql/dialect.py); what SQLite does with FTS5 is PostgreSQL's own search (the modules
beside this one).

When PostgreSQL goes away (restart, stop, connections terminated) the pool must fail
fast and recover fast: a pooled connection is checked before it is handed out (a dead
one is dropped, not used), a request waits at most GETCONN_TIMEOUT_S for one (then the
API answers 503), a failed reconnection gives up after RECONNECT_S so the next request
starts a fresh attempt instead of waiting out a growing back-off, and a read whose
connection died while it ran is tried once more on another connection.
"""

from __future__ import annotations

import decimal
import logging
import math
import select
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from agent_console.server.storage.base import ConstraintViolation, StorageError
from agent_console.server.storage.postgres.copy_format import copy_chunks
from agent_console.server.storage.postgres.schema import LATEST, MIGRATIONS
from agent_console.server.storage.sql.core import SEARCH_BUDGET_MS, Params, SqlCore
from agent_console.server.storage.sql.dialect import POSTGRES

#: How every connection to PostgreSQL is made (the pools, the loop's searches, the
#: events listener): autocommit, a 2 s connect, and keepalives, so a silently dead peer
#: (no RST) is noticed within ~20 s.
CONNECTION: dict[str, Any] = {
    "autocommit": True,
    "connect_timeout": 2,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 2,
}

#: Every write transaction takes this advisory lock first: writers run one at a time,
#: in any process, as SQLite's BEGIN IMMEDIATE makes them. The shared mixins' "check,
#: then insert" steps (idempotency keys, one raised hand) stay correct across workers.
WRITE_LOCK = 0x61630001
MIGRATE_LOCK = 0x61630002
#: Longest a request waits for a pooled connection before the API answers 503.
GETCONN_TIMEOUT_S = 2.0
#: A failing reconnection gives up after this long; the next checkout starts another
#: (psycopg_pool's back-off would otherwise grow to minutes while the database is away).
RECONNECT_S = 2.0
#: Longest the server waits at start for the database (several workers start at once).
START_TIMEOUT_S = 30.0
#: Milliseconds a search's statement may run (PostgreSQL cancels it after): SQLite's
#: budget (sql/core.py) times four, for the round trip and a busy machine's waits.
SEARCH_TIMEOUT_MS = math.ceil(SEARCH_BUDGET_MS * 4)
#: The search connections' settings, once per connection. A search is one statement of
#: index probes whose plans do not depend on the values (every probe reads an index in
#: the order it returns: see search.py), so it is prepared once per shape and run with
#: a generic plan: planning it for every search (custom plans) was over half of
#: PostgreSQL's CPU per search (1.1 ms -> 0.5 ms, with the same rows for 2,000 bench
#: queries), and no `SET LOCAL` before it (the time limit and seqscan are set here).
SEARCH_OPTIONS = (
    "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off "
    f"-c statement_timeout={SEARCH_TIMEOUT_MS}"
)
if TYPE_CHECKING:
    from typing_extensions import LiteralString

log = logging.getLogger("agent_console.server.storage")
T = TypeVar("T")


def query(text: str) -> LiteralString:
    """`text` as psycopg's statement type. Statements are built from this package's
    constants (table and column names, never a value: values go as parameters), which
    the type checker cannot follow through an f-string."""
    return cast("LiteralString", text)


class PgRow(tuple[Any, ...]):
    """A row readable by position and by column name, like sqlite3.Row."""

    __slots__ = ()
    _names: tuple[str, ...]

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return super().__getitem__(self._names.index(key))
        return super().__getitem__(key)


@lru_cache(maxsize=512)
def _row_type(names: tuple[str, ...]) -> type[PgRow]:
    return type("Row", (PgRow,), {"__slots__": (), "_names": names})


def result_value(v: Any) -> Any:
    """A value read from PostgreSQL as SQLite gives it (a numeric as a float)."""
    return float(v) if isinstance(v, decimal.Decimal) else v


class Result:
    """A statement's rows, fetched at once (the connection goes back to the pool)."""

    #: Ids come back through RETURNING (the dialect's), never through a lastrowid.
    lastrowid = None

    def __init__(self, rows: list[PgRow], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def fetchone(self) -> PgRow | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[PgRow]:
        rows, self._next = self._rows[self._next :], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[PgRow]:
        return iter(self.fetchall())


def connection_lost(exc: BaseException) -> bool:
    """The statement failed because its connection died (terminated, server restarting
    or gone), not because of the statement: the same read may succeed on another."""
    if not isinstance(exc, psycopg.OperationalError) or isinstance(exc, PoolTimeout):
        return False
    state = exc.sqlstate
    return state is None or state.startswith("57P")  # client-side loss, admin shutdown


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


def pg_value(v: Any) -> Any:
    """A value as PostgreSQL takes it: a bool as 0/1 (SQLite's way); a NUL dropped
    from text, which PostgreSQL refuses (a DataError, so a 500) where SQLite takes it.
    Stored text never holds one (requests are cleaned of control characters), so a
    NUL typed into a search cannot match anything either way."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str) and "\x00" in v:
        return v.replace("\x00", "")
    return v


def pg_params(params: Params) -> list[Any]:
    return [pg_value(v) for v in params]


def run(conn: psycopg.Connection, sql: str, params: Params = ()) -> Result:
    """Execute one shared statement (`?` placeholders, see sql/dialect.py) on `conn`,
    as PostgreSQL's numbered parameters through a raw cursor."""
    with psycopg.RawCursor(conn) as cur:
        cur.execute(query(POSTGRES.sql(sql)), pg_params(params))
        rows: list[PgRow] = []
        if cur.description is not None:
            make = _row_type(tuple(d.name for d in cur.description))
            rows = [make(tuple(result_value(v) for v in r)) for r in cur.fetchall()]
        return Result(rows, cur.rowcount)


class Connection:
    """What `self.db` gives the shared mixins: inside a write transaction, that
    transaction's connection; outside, any pooled connection per statement."""

    def __init__(self, core: PostgresCore) -> None:
        self._core = core

    def execute(self, sql: str, params: Params = ()) -> Result:
        conn = self._core.current()
        if conn is not None:
            return run(conn, sql, params)
        return self._pooled(sql, params, retry=_is_read(sql))

    def _pooled(self, sql: str, params: Params, retry: bool) -> Result:
        with self._core.pool.connection() as pooled:
            try:
                return run(pooled, sql, params)
            except psycopg.OperationalError as exc:
                if not (retry and connection_lost(exc)):
                    raise
                log.info("a pooled connection died during a read (%s); reading again", exc)
        return self._pooled(sql, params, retry=False)  # the dead one left the pool

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> None:
        conn = self._core.current()
        if conn is None:
            raise StorageError("executemany outside a write transaction")
        with psycopg.RawCursor(conn) as cur:
            cur.executemany(query(POSTGRES.sql(sql)), [pg_params(r) for r in rows])

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Bulk rows through COPY (bulk loads, migrate-db): several times executemany's
        speed for the millions of gram rows a centre has."""
        self.copy_text(table, columns, copy_chunks(rows))

    def copy_text(self, table: str, columns: Sequence[str], chunks: Iterable[str]) -> None:
        """Rows already in COPY's text format (see copy_format), in large pieces."""
        conn = self._core.current()
        if conn is None:
            raise StorageError("copy_rows outside a write transaction")
        with (
            conn.cursor() as cur,
            cur.copy(query(f"COPY {table} ({', '.join(columns)}) FROM STDIN")) as cp,
        ):
            for chunk in chunks:
                cp.write(chunk)


def check_idle(conn: psycopg.Connection) -> None:
    """The pool's check before a connection is handed out, without a round trip when
    the connection shows nothing: an idle connection (autocommit, nothing pending) has
    nothing to read, so one whose socket is readable has been told something (a
    terminated backend's FATAL, a shutdown, the peer's close) and gets the real check,
    a round trip that raises for a dead one. The round trip on every checkout was
    two of a search's requests to PostgreSQL (the session, the search) and a seventh
    of the server's CPU under bench/centre (py-spy)."""
    if conn.closed:
        raise psycopg.OperationalError("the connection is closed")
    idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if not idle or readable_now(conn.fileno()):
        ConnectionPool.check_connection(conn)


def readable_now(fd: int) -> bool:
    """Whether the socket has anything to read (or was closed), without waiting. poll,
    not select, where there is one: select refuses descriptors past 1,023, and a
    server holding hundreds of event streams open has them."""
    if hasattr(select, "poll"):
        poll = select.poll()
        poll.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poll.poll(0))
    return bool(select.select([fd], [], [], 0)[0])  # Windows: sockets only, no limit


class PostgresCore(SqlCore):
    """A psycopg connection pool; write transactions serialised by an advisory lock."""

    dialect = POSTGRES
    reads_in_process = False  # a read waits for the pool and a round trip

    def brief_waits(self) -> AbstractContextManager[None]:
        return nullcontext()  # reads run in the thread pool (server/reads.py)

    def __init__(self, url: str, min_size: int = 1, max_size: int = 16) -> None:
        self.url = url
        # Custom plans only: a generic plan (psycopg prepares a statement after five
        # runs) would plan a LIKE or a gram lookup without its value. Set once per
        # connection, not per read (that was a round trip per search).
        self.pool = self._new_pool(url, min_size, max_size, "-c plan_cache_mode=force_custom_plan")
        #: The caller and directory searches' own connections (see SEARCH_OPTIONS); half
        #: the main pool's size (a search holds one for a millisecond or so).
        search_max = max(2, max_size // 2)
        self.search_pool = self._new_pool(url, 1, search_max, SEARCH_OPTIONS, "ac-search")
        self._local = threading.local()
        self._db = Connection(self)
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _new_pool(
        url: str, min_size: int, max_size: int, options: str, name: str = "agent-console"
    ) -> ConnectionPool:
        return ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            kwargs={**CONNECTION, "options": options},
            open=True,
            name=name,
            check=check_idle,  # a dead connection is never handed out
            timeout=GETCONN_TIMEOUT_S,
            reconnect_timeout=RECONNECT_S,
        )

    def current(self) -> psycopg.Connection | None:
        return getattr(self._local, "conn", None)

    @property
    def db(self) -> Connection:
        return self._db

    def close(self) -> None:
        self.pool.close()
        self.search_pool.close()

    @contextmanager
    def write(self) -> Generator[Connection, None, None]:
        """One transaction; writers in every process take turns (see WRITE_LOCK). A row
        the database refused (unique key, reference) is a ConstraintViolation."""
        if self.current() is not None:
            raise StorageError("a write transaction is already open on this thread")
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                self._local.conn = conn
                try:
                    yield self._db
                finally:
                    self._local.conn = None
        except psycopg.errors.IntegrityError as exc:
            raise ConstraintViolation(str(exc)) from exc

    @contextmanager
    def read(self, pool: ConnectionPool | None = None) -> Generator[psycopg.Connection, None, None]:
        """One pooled connection (from `pool`, by default the main one) for everything
        a search reads (its probes and the rows of its hits): one checkout, not one per
        statement. No transaction around them: BEGIN and ROLLBACK were two of a
        search's round trips, and a search needs no snapshot (rows are only added; a
        probe's time limit is the search connection's, see SEARCH_OPTIONS). Inside a
        write or another read, that one's connection is used."""
        conn = self.current()
        if conn is not None:
            yield conn
            return
        pool = pool or self.pool
        with pool.connection() as conn:
            self._local.conn, self._local.pool = conn, pool
            try:
                yield conn
            finally:
                self._local.conn = self._local.pool = None

    def on_search_connection(self) -> bool:
        """Whether this thread's statements run on a search connection (SEARCH_OPTIONS:
        generic plans, the search's time limit), not in a write or a main-pool read."""
        return self.current() is not None and getattr(self._local, "pool", None) is self.search_pool

    def together(self, reads: Callable[[], T]) -> T:
        """`reads()` with every statement on one pooled connection (read()): a caller's
        card was four to six checkouts, each its own pool hand-off and check."""

        def on_one() -> T:
            with self.read():
                return reads()

        return self.retry_read(on_one)

    def retry_read(self, read: Callable[[], T]) -> T:
        """`read()`, once more if its connection died while it ran (a search or any
        other read of its own transaction; inside a write there is nothing to retry)."""
        if self.current() is not None:
            return read()
        try:
            return read()
        except psycopg.OperationalError as exc:
            if not connection_lost(exc):
                raise
            log.info("a pooled connection died during a read (%s); reading again", exc)
        return read()

    def _migrate(self) -> None:
        """Apply every known step not yet applied, in order, one transaction each; a
        database with a step this server does not know is refused. Several workers
        starting at once take turns (advisory lock)."""
        with self._first_connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            applied = {r[0] for r in conn.execute("SELECT version FROM schema_version")}
            unknown = sorted(applied - {v for v, _ in MIGRATIONS})
            if unknown:
                raise StorageError(
                    f"the database has schema step(s) {unknown} that this server does not "
                    f"know (it knows up to {LATEST}); upgrade agent-console before serving it"
                )
            for version, sql in sorted(MIGRATIONS):
                if version in applied:
                    continue
                try:
                    with conn.transaction():
                        conn.execute(query(sql))  # several statements, no parameters
                        conn.execute("INSERT INTO schema_version(version) VALUES (%s)", (version,))
                except psycopg.Error as exc:
                    raise StorageError(f"schema step {version} failed: {exc}") from exc

    @contextmanager
    def _first_connection(self) -> Generator[psycopg.Connection, None, None]:
        """A pooled connection at start, waiting up to START_TIMEOUT_S for the database
        (each checkout waits GETCONN_TIMEOUT_S; a new one starts a new connection try)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                conn = self.pool.getconn()
                break
            except PoolTimeout:
                if time.monotonic() > deadline:
                    raise
        try:
            yield conn
        finally:
            self.pool.putconn(conn)

    def ping(self) -> None:
        """Raise unless a pooled connection answers (the health check's question)."""
        with self.pool.connection(timeout=1.0) as conn:
            conn.execute("SELECT 1")

    def schema_version(self) -> int:
        row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0) if row else 0
