"""Caller and directory search on PostgreSQL: the same probes (search_plan) as SQLite,
in the same order, each returning ids in the same order, so both engines rank alike.

Index probes (exact, prefix, suffix) are the SQLite statements with `ORDER BY col, id`
(SQLite's index order). A phrase probe is a LIKE on the column's token string, served
by a trigram index, ordered by id (FTS5's order); a phrase of one or two CJK characters
reads the gram side table instead: trigrams cannot narrow it, and a rare one made the
planner scan the whole table (194-213 ms p95 at 300k addresses; 0.07-0.19 ms by gram).
A search's probes go to PostgreSQL as one statement (search_sql.py), on a search
connection (core.py's SEARCH_OPTIONS) where it is prepared once per shape and run with
a generic plan: every probe reads an index in the order it returns (`ORDER BY col, id`
on a `(col, id)` index, `id + 0` after the trigram index), so no value changes the
plan, only the planning cost (over half of PostgreSQL's CPU per search).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from agent_console.server.search_plan import Probe, plan_callers
from agent_console.server.storage.base import CardReads, Found, Row
from agent_console.server.storage.postgres import search_sql
from agent_console.server.storage.postgres.core import (
    SEARCH_TIMEOUT_MS,
    PostgresCore,
    pg_params,
    query,
    result_value,
)
from agent_console.server.storage.postgres.loop_search import LoopSearch
from agent_console.server.storage.postgres.search_text import (
    caller_texts,
    copy_text,
    directory_texts,
    text_rows,
)
from agent_console.server.storage.sql.areas import CARD_FOLLOWUPS, CARD_TICKETS
from agent_console.server.storage.sql.callers import (
    CALLER_SELECT,
    CALLERS,
    CallersMixin,
    callers_found,
    public_caller,
)
from agent_console.server.storage.sql.calls import FOLLOWUP_COLUMNS
from agent_console.server.storage.sql.core import (
    SEARCH_BUDGET_MS,
    Database,
    ProbeResult,
    SearchTarget,
)
from agent_console.server.storage.sql.directory import DirectoryMixin
from agent_console.server.storage.sql.tickets import TICKET_COLUMNS

log = logging.getLogger("agent_console.server.storage")


def _timed_rows(
    conn: psycopg.Connection, sql: str, params: tuple[object, ...], timeout_ms: int
) -> list[tuple[Any, ...]]:
    """The statement's rows, cancelled by PostgreSQL after `timeout_ms`: a time limit
    other than the search connection's own (the probes read again one by one after a
    cancel, a test's budget, a search inside a write).

    One round trip: the timeout and the statement go as one simple query, which
    PostgreSQL runs as one implicit transaction (so SET LOCAL ends with it), the values
    bound client-side (psycopg quotes them). Sequential scans are off for the
    statement: every probe has its index, and a rare phrase must reach the trigram
    index (phrase_sql_pg).
    """
    with psycopg.ClientCursor(conn) as cur:
        cur.execute(
            query(
                f"SET LOCAL enable_seqscan = off; "
                f"SET LOCAL statement_timeout = {int(timeout_ms)}; {sql}"
            ),
            pg_params(params),  # no NUL in text (PostgreSQL refuses it)
        )
        while cur.description is None and cur.nextset():
            pass
        return cur.fetchall()


def _timed_result(
    conn: psycopg.Connection, sql: str, params: tuple[object, ...], timeout_ms: int
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """_timed_rows with the column names."""
    with psycopg.ClientCursor(conn) as cur:
        cur.execute(
            query(
                f"SET LOCAL enable_seqscan = off; "
                f"SET LOCAL statement_timeout = {int(timeout_ms)}; {sql}"
            ),
            pg_params(params),
        )
        while cur.description is None and cur.nextset():
            pass
        assert cur.description is not None
        return [d.name for d in cur.description], cur.fetchall()


def _prepared_result(
    conn: psycopg.Connection, sql: str, params: tuple[object, ...]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The statement's column names and rows on a search connection (core.py's
    SEARCH_OPTIONS: its time limit, no seqscan, generic plans), prepared on its first
    run: one message, parsed and planned once per connection and shape."""
    with psycopg.Cursor(conn) as cur:
        cur.execute(query(sql), pg_params(params), prepare=True)
        assert cur.description is not None
        return [d.name for d in cur.description], cur.fetchall()


def _take(seen: dict[int, str], probe: Probe, ids: Sequence[Any], limit: int) -> None:
    """Add a probe's ids in order, each id once, up to `limit` in all."""
    for ident in ids:
        if len(seen) >= limit:
            return
        seen.setdefault(int(ident), probe.kind)


def _one_by_one(
    conn: psycopg.Connection,
    target: SearchTarget,
    probes: Sequence[Probe],
    limit: int,
    seen: dict[int, str],
    deadline: float,
) -> None:
    """The probes of a cancelled batch, one round trip each until one is cancelled."""
    for probe in probes:
        left = math.ceil((deadline - time.perf_counter()) * 1000)
        if len(seen) >= limit or left <= 0:
            return
        sql, params = search_sql.batch_sql_pg(target, [probe], limit)
        try:
            (arrays,) = _timed_rows(conn, sql, params, left)
        except psycopg.errors.QueryCanceled:
            return
        _take(seen, probe, arrays[0], limit)


def _hit_rows(names: list[str], result: list[tuple[Any, ...]], skip: int) -> dict[int, Row]:
    """The hits' rows of search_rows_sql_pg's result by id, as fetch_in_order gives them."""
    out: dict[int, Row] = {}
    for r in result:
        if r[skip] is not None:
            out[int(r[skip])] = dict(zip(names, map(result_value, r[skip:]), strict=True))
    return out


#: storage.card_reads in one statement. Each array is aggregated in its subquery's
#: order (an aggregate over a sorted subquery takes the rows as they come), so ties
#: stay as the separate statements return them.
_CARD_SQL = (
    CALLER_SELECT.removesuffix(" WHERE c.id IN ").replace(
        " FROM callers c",
        ", (SELECT coalesce(json_agg(t), '[]') FROM ("
        f"SELECT {TICKET_COLUMNS} FROM tickets WHERE area = ? AND caller_id = ? "
        f"ORDER BY created_at DESC, id DESC LIMIT {CARD_TICKETS}) t) AS recent, "
        "(SELECT coalesce(json_agg(f), '[]') FROM ("
        f"SELECT {FOLLOWUP_COLUMNS} FROM tickets WHERE area = ? AND caller_id = ? "
        "AND status <> 'closed' ORDER BY callback_due IS NULL, callback_due, created_at DESC "
        f"LIMIT {CARD_FOLLOWUPS}) f) AS followups, "
        "(SELECT count(*) FROM tickets WHERE area = ? AND caller_id = ? AND created_at >= ?) "
        "AS n FROM callers c",
        1,
    )
    + " WHERE c.id = ?"
)


#: _CARD_SQL with psycopg's placeholders (the loop's cursor binds %s, not `?`).
_CARD_SQL_PSYCOPG = _CARD_SQL.replace("?", "%s")


def _card_from(names: Sequence[str], row: Sequence[Any]) -> CardReads:
    """_CARD_SQL's row as card_reads gives it."""
    caller = {n: result_value(v) for n, v in zip(names[:-3], row[:-3], strict=True)}
    recent, followups, count = row[-3:]
    return public_caller(caller), list(recent), list(followups), int(count)


#: The texts of a new row by table, as text_rows takes them.
TEXTS: dict[str, Callable[[Row], dict[str, str]]] = {
    "callers": caller_texts,
    "directory": directory_texts,
}


class PgSearchMixin(CallersMixin, DirectoryMixin, PostgresCore):
    """The shared caller and directory search, each in one read transaction, over
    PostgreSQL's probes."""

    def search_callers(self, query: str, limit: int) -> Found:
        def search() -> Found:
            with self.read(self.search_pool):
                return super(PgSearchMixin, self).search_callers(query, limit)

        return self.retry_read(search)

    async def search_callers_on_loop(self, query: str, limit: int) -> Found | None:
        """The search's one statement on the event loop (loop_search.py), its answer
        read as run_probes and search_callers read it; None where that statement was
        not answered in full (the thread pool's search_callers then runs)."""
        probes = plan_callers(query)
        if not probes:
            return Found([], False)
        sql, params = search_sql.search_rows_sql_pg(CALLERS, probes, limit, CALLER_SELECT)
        got = await self.loop_search().rows(sql, pg_params(params))
        if got is None:
            return None
        names, result = got
        seen: dict[int, str] = {}
        for probe, ids in zip(probes, result[0][: len(probes)], strict=True):
            _take(seen, probe, ids or (), limit)
        rows = _hit_rows(names[len(probes) :], result, len(probes))
        return callers_found(list(seen.items()), rows, False)

    async def card_reads_on_loop(
        self, caller_id: int, area: str, since: str
    ) -> tuple[bool, CardReads | None]:
        """card_reads' one statement on the event loop (loop_search.py): (True, the
        answer), or (False, None) where the loop did not answer it."""
        params = [area, caller_id, area, caller_id, area, caller_id, since, caller_id]
        got = await self.loop_search().rows(_CARD_SQL_PSYCOPG, pg_params(params))
        if got is None:
            return False, None
        names, rows = got
        return True, _card_from(names, rows[0]) if rows else None

    def loop_search(self) -> LoopSearch:
        found: LoopSearch | None = getattr(self, "_loop_search", None)
        if found is None:
            found = self._loop_search = LoopSearch(self.url, self.search_pool.max_size)
        return found

    def close(self) -> None:
        super().close()
        found: LoopSearch | None = getattr(self, "_loop_search", None)
        if found is not None:
            found.close()

    def search_directory(self, query: str, limit: int) -> Found:
        def search() -> Found:
            with self.read(self.search_pool):
                return super(PgSearchMixin, self).search_directory(query, limit)

        return self.retry_read(search)

    def card_reads(self, caller_id: int, area: str, since: str) -> CardReads | None:
        """A caller card's reads (SharedAreas.card_reads) as one statement: the caller's
        row with its tickets and follow-ups as JSON arrays (text and integer columns
        only, so they read back as the rows would) and the count. Four statements
        were four round trips, each a wake of the worker thread and of a backend."""
        params = (area, caller_id, area, caller_id, area, caller_id, since, caller_id)
        row = self.db.execute(_CARD_SQL, params).fetchone()
        return None if row is None else _card_from(row.keys(), row)

    def fetch_in_order(self, select: str, ids: Sequence[int]) -> dict[int, Row]:
        """The rows of a search's hits, read again once if PostgreSQL cancelled the read
        for the probes' statement_timeout: a timeout that fires as the probes end can
        cancel the next statement on the connection instead (seen under load and with
        a 1-4 ms budget: a 503 for a search that had its hits)."""
        try:
            return super().fetch_in_order(select, ids)
        except psycopg.errors.QueryCanceled:
            log.info("a search's row read was cancelled by its probes' timeout; reading again")
            return super().fetch_in_order(select, ids)

    def run_probes(
        self,
        target: SearchTarget,
        probes: Sequence[Probe],
        limit: int,
        budget_ms: float = SEARCH_BUDGET_MS,
        rows: str | None = None,
    ) -> ProbeResult:
        """Ids and match kinds, best kind first, each id once, at most `limit`; a probe
        that outlives the search's time budget is cancelled (statement_timeout) and the
        hits so far come back marked partial, as on SQLite. All probes are one
        statement, one round trip (search_sql_pg, _timed_rows), each run only while the
        probes before it left room, so the hits are the sequential loop's. A search
        that is cancelled is read again probe by probe, for a quarter of the budget
        more, so the hits of the probes before the slow one still come back. With
        `rows`, the hits' rows come in that same statement (search_rows_sql_pg), except
        after a cancel."""
        seen: dict[int, str] = {}
        if not probes:
            return ProbeResult([], False, {} if rows is not None else None)
        budget_s = self.budget_ms(budget_ms) / 1000
        partial = False
        found: dict[int, Row] | None = None
        with self.read(self.search_pool) as conn:
            if rows is None:
                sql, params = search_sql.search_sql_pg(target, probes, limit)
            else:
                sql, params = search_sql.search_rows_sql_pg(target, probes, limit, rows)
            timeout_ms = math.ceil(budget_s * 1000)
            try:
                if timeout_ms == SEARCH_TIMEOUT_MS and self.on_search_connection():
                    names, result = _prepared_result(conn, sql, params)
                else:  # another budget, or inside a write: the limit set for this one
                    names, result = _timed_result(conn, sql, params, timeout_ms)
            except psycopg.errors.QueryCanceled:
                partial = True
                if len(probes) > 1:
                    grace = time.perf_counter() + budget_s / 4
                    _one_by_one(conn, target, probes, limit, seen, grace)
            else:
                for probe, ids in zip(probes, result[0][: len(probes)], strict=True):
                    _take(seen, probe, ids or (), limit)
                if rows is not None:
                    found = _hit_rows(names[len(probes) :], result, len(probes))
        return ProbeResult(list(seen.items()), partial, found)

    @staticmethod
    def budget_ms(sqlite_budget: float) -> float:
        """The round trip and the wait for a core on a busy machine cost what SQLite's
        in-process call does not (SEARCH_TIMEOUT_MS for the default budget)."""
        return sqlite_budget * 4

    def explain_probes(
        self, target: SearchTarget, probes: Sequence[Probe], limit: int = 20
    ) -> list[tuple[Probe, str, list[str]]]:
        out: list[tuple[Probe, str, list[str]]] = []
        with self.pool.connection() as conn:
            for probe in probes:
                sql, params = search_sql.probe_sql_pg(target, probe, limit)
                plan = [r[0] for r in conn.execute(query(f"EXPLAIN {sql}"), params)]
                out.append((probe, sql, plan))
        return out

    def index_texts(self, db: Database, table: str, pairs: Sequence[tuple[int, Row]]) -> None:
        """Token strings and grams of new rows, by COPY (inside the caller's write)."""
        texts = TEXTS[table]
        copy_text(self.db, table, [text_rows(table, i, texts(r)) for i, r in pairs])
