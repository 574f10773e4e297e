"""What the shared area mixins are written against: a database to run statements on,
write transactions, and the hooks where each engine searches in its own way.

SQLiteCore and PostgresCore implement it; neither engine is written in terms of the
other. Statements are written once (`?` placeholders) and each engine's connection
runs them in its own spelling (see dialect.py); a write transaction the database
refused for a unique key or a missing reference raises ConstraintViolation (base.py),
on both engines alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from agent_console.server.search_plan import Probe
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.dialect import Dialect

T = TypeVar("T")

#: A statement's parameters, by position (`?`): the one spelling both engines' shared
#: statements use (psycopg's raw cursor, see dialect.py, takes no names).
Params = Sequence[Any]

#: Milliseconds a search may spend in its probes before it stops with what it has.
SEARCH_BUDGET_MS = 12.0


class Cursor(Protocol):
    """A statement's result: rows readable by position and by column name."""

    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> int | None: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    """Where statements run: `self.db`, or the connection of `with self.write() as db`."""

    def execute(self, sql: str, parameters: Params = (), /) -> Cursor: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> object: ...


@dataclass(frozen=True)
class SearchTarget:
    """Where one entity's probes run: its table, indexed columns and FTS tables.

    `columns` maps a probe's logical column to the indexed column (suffix probes use
    the column's reversed twin `<column>_rev`); `fts` maps a logical text column to
    (SQLite's FTS table, whether that table is shared and needs a column filter);
    `pairs` maps a logical text column to SQLite's pair table (schema step 14), which
    answers a phrase of two tokens; `triples` to its triple table (step 16), which
    answers a phrase of three or more; `fives` to its table of runs of five (step 17),
    which answers one of five or more; `sevens` to its table of runs of seven (step
    18), one of seven or more.
    """

    table: str
    columns: Mapping[str, str]
    fts: Mapping[str, tuple[str, bool]]
    pairs: Mapping[str, str] = field(default_factory=dict[str, str])
    triples: Mapping[str, str] = field(default_factory=dict[str, str])
    fives: Mapping[str, str] = field(default_factory=dict[str, str])
    sevens: Mapping[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True)
class ProbeResult:
    hits: list[tuple[int, str]]  # (id, match kind), best kind first
    partial: bool  # the budget ran out before every probe had its say
    #: The hits' rows by id, when the engine read them with the probes (run_probes'
    #: `rows`); None: read them with fetch_in_order.
    rows: dict[int, Row] | None = None


class SqlCore(ABC):
    """The shared surface; the engine's core class gives the connection and its hooks."""

    dialect: ClassVar[Dialect]

    @property
    @abstractmethod
    def db(self) -> Database:
        """Statements outside a write transaction (inside one: that transaction's)."""

    @abstractmethod
    def write(self) -> AbstractContextManager[Database]:
        """One write transaction; writers take turns (on PostgreSQL across processes)."""

    @abstractmethod
    def close(self) -> None:
        """Close the file or the connection pool."""

    def together(self, reads: Callable[[], T]) -> T:
        """`reads()` on one connection; SQLite's thread already has just one."""
        return reads()

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row = self.db.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return [dict(r) for r in self.db.execute(sql, params).fetchall()]

    def insert(self, db: Database, sql: str, params: Params) -> int:
        """Run an INSERT into a table whose id the database assigns; the new row's id."""
        cur = db.execute(sql + self.dialect.returning_id, params)
        if self.dialect.returning_id:
            return int(cur.fetchone()[0])
        return int(cur.lastrowid or 0)

    def fetch_in_order(self, select: str, ids: Sequence[int]) -> dict[int, Row]:
        """Rows for `ids` by id; `select` ends with `WHERE <alias>.id IN ` and gets the list."""
        if not ids:
            return {}
        rows = self.db.execute(f"{select} ({','.join('?' * len(ids))})", tuple(ids))
        return {int(r["id"]): dict(r) for r in rows}

    # -- each engine's own search -----------------------------------------------------
    @abstractmethod
    def run_probes(
        self,
        target: SearchTarget,
        probes: Sequence[Probe],
        limit: int,
        budget_ms: float = SEARCH_BUDGET_MS,
        rows: str | None = None,
    ) -> ProbeResult:
        """Ids and match kinds, best kind first, each id once, at most `limit`. An
        engine may also read the hits' rows with `rows` (a fetch_in_order select) in
        the same round trip, into ProbeResult.rows."""

    @abstractmethod
    def index_texts(self, db: Database, table: str, pairs: Sequence[tuple[int, Row]]) -> None:
        """Write the search rows of new callers or listings (`table`), inside `db`'s write."""
