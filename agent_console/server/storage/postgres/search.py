"""Caller and directory search on PostgreSQL: the same probes (search_plan) as SQLite,
in the same order, each returning ids in the same order, so both engines rank alike.

Index probes (exact, prefix, suffix) are the SQLite statements with `ORDER BY col, id`
(SQLite's index order). A phrase probe is a LIKE on the column's token string, served
by a trigram index, ordered by id (FTS5's order); a phrase of one or two CJK characters
reads the gram side table instead: trigrams cannot narrow it, and a rare one made the
planner scan the whole table (194-213 ms p95 at 300k addresses; 0.07-0.19 ms by gram).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import psycopg

from agent_console.server.phrase_match import gram_of, indexed, like_pattern, parse_phrase
from agent_console.server.search_plan import Probe
from agent_console.server.storage.base import Found, Row
from agent_console.server.storage.postgres.core import Connection, PostgresCore, pg_params, query
from agent_console.server.storage.sql.callers import CallersMixin
from agent_console.server.storage.sql.core import (
    SEARCH_BUDGET_MS,
    Database,
    ProbeResult,
    SearchTarget,
)
from agent_console.server.storage.sql.directory import DirectoryMixin
from agent_console.server.textkeys import prefix_upper_bound

#: entity table -> its searchable text columns (token strings and grams)
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "callers": ("name", "compound", "address"),
    "directory": ("name", "address", "department"),
}


def text_rows(table: str, ident: int, texts: dict[str, str]) -> tuple[str, str]:
    """The token-string row and the gram rows of one entity (texts by column), as
    COPY text: tokens are letters and digits, grams CJK characters, so nothing in them
    needs escaping (a migration writes some 40 million gram rows)."""
    line = [str(ident)]
    grams: list[str] = []
    for c in TEXT_COLUMNS[table]:
        string, col_grams = _indexed(texts.get(c, ""))
        line.append(string)
        if col_grams:
            end = f"\t{ident}\n"
            grams.append(f"{c}\t" + f"{end}{c}\t".join(col_grams) + end)
    return "\t".join(line) + "\n", "".join(grams)


#: Names and compounds repeat across a million callers; addresses do not (a miss is cheap).
_indexed = lru_cache(maxsize=1 << 16)(indexed)


def copy_text(db: Connection, table: str, indexed: Sequence[tuple[str, str]]) -> None:
    """COPY a batch's token-string rows and gram rows (inside a write transaction)."""
    cols = ("id", *TEXT_COLUMNS[table])
    db.copy_text(f"{table}_text", cols, ["".join(t for t, _ in indexed)])
    db.copy_text(f"{table}_grams", ("col", "gram", "id"), ["".join(g for _, g in indexed)])


def caller_texts(data: Row) -> dict[str, str]:
    return {
        "name": data["name"],
        "compound": data.get("compound", ""),
        "address": data.get("address", ""),
    }


def directory_texts(data: Row) -> dict[str, str]:
    name = data["name"] + (" " + data["name_en"] if data.get("name_en") else "")
    return {
        "name": name,
        "address": data.get("address", ""),
        "department": data.get("department", ""),
    }


def probe_sql_pg(target: SearchTarget, probe: Probe, limit: int) -> tuple[str, tuple[object, ...]]:
    """The one statement a probe runs on PostgreSQL."""
    if probe.how == "fts":
        toks, prefix = parse_phrase(probe.value)
        if not toks:
            return "SELECT id FROM callers WHERE false", ()
        gram = gram_of(toks, prefix)
        if gram is not None:
            return (
                f"SELECT id FROM {target.table}_grams WHERE col = %s AND gram = %s "
                "ORDER BY id LIMIT %s",
                (probe.column, gram, limit),
            )
        return (
            f"SELECT id FROM {target.table}_text WHERE {probe.column} LIKE %s ORDER BY id LIMIT %s",
            (like_pattern(toks, prefix), limit),
        )
    col = target.columns[probe.column]
    if probe.how == "suffix":
        col = f"{col.removesuffix('_digits')}_rev"
    if probe.how == "exact":
        return (
            f"SELECT id FROM {target.table} WHERE {col} = %s ORDER BY id LIMIT %s",
            (probe.value, limit),
        )
    return (
        f"SELECT id FROM {target.table} WHERE {col} >= %s AND {col} < %s "
        f"ORDER BY {col}, id LIMIT %s",
        (probe.value, prefix_upper_bound(probe.value), limit),
    )


def cheap(probe: Probe) -> bool:
    """An index probe (exact, prefix, suffix, a 1-2 character gram): a few index pages,
    never worth a round trip of its own. A longer phrase is a trigram LIKE, which can
    cost milliseconds: it goes alone, and only when the probes before it left room."""
    if probe.how != "fts":
        return True
    toks, prefix = parse_phrase(probe.value)
    return not toks or gram_of(toks, prefix) is not None


def segments(probes: Sequence[Probe]) -> list[list[Probe]]:
    """The probes in order, each run of cheap ones together, every other one alone."""
    out: list[list[Probe]] = []
    for probe in probes:
        if cheap(probe) and out and cheap(out[-1][-1]):
            out[-1].append(probe)
        else:
            out.append([probe])
    return out


def batch_sql_pg(
    target: SearchTarget, probes: Sequence[Probe], limit: int
) -> tuple[str, tuple[object, ...]]:
    """One statement for several probes: one row, each probe's ids as an array in the
    probe's own order (ARRAY(subquery) keeps the subquery's ORDER BY)."""
    parts: list[str] = []
    params: list[object] = []
    for probe in probes:
        sql, values = probe_sql_pg(target, probe, limit)
        parts.append(f"ARRAY({sql})")
        params += values
    return "SELECT " + ", ".join(parts), tuple(params)


def _timed_rows(
    conn: psycopg.Connection, sql: str, params: tuple[object, ...], timeout_ms: int
) -> list[tuple[Any, ...]]:
    """The statement's rows, cancelled by PostgreSQL after `timeout_ms`.

    One round trip: the timeout and the statement go as one simple query, which
    PostgreSQL runs as one implicit transaction (so SET LOCAL ends with it), the values
    bound client-side (psycopg quotes them). Bound this way the planner always sees
    the pattern itself: a prepared statement's generic plan would guess a LIKE's
    selectivity instead.
    """
    with psycopg.ClientCursor(conn) as cur:
        cur.execute(
            query(f"SET LOCAL statement_timeout = {int(timeout_ms)}; {sql}"),
            pg_params(params),  # no NUL in text (PostgreSQL refuses it)
        )
        while cur.description is None and cur.nextset():
            pass
        return cur.fetchall()


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
        sql, params = batch_sql_pg(target, [probe], limit)
        try:
            (arrays,) = _timed_rows(conn, sql, params, left)
        except psycopg.errors.QueryCanceled:
            return
        _take(seen, probe, arrays[0], limit)


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
            with self.read():
                return super(PgSearchMixin, self).search_callers(query, limit)

        return self.retry_read(search)

    def search_directory(self, query: str, limit: int) -> Found:
        def search() -> Found:
            with self.read():
                return super(PgSearchMixin, self).search_directory(query, limit)

        return self.retry_read(search)

    def run_probes(
        self,
        target: SearchTarget,
        probes: Sequence[Probe],
        limit: int,
        budget_ms: float = SEARCH_BUDGET_MS,
    ) -> ProbeResult:
        """Ids and match kinds, best kind first, each id once, at most `limit`; a probe
        that outlives the search's time budget is cancelled (statement_timeout) and the
        hits so far come back marked partial, as on SQLite. All probes share the
        search's connection; each run of cheap probes is one round trip, each trigram
        probe another (see segments, _timed_rows). The hits are the sequential loop's:
        a probe read in a batch after the limit was reached is ignored. A batch that is
        cancelled is read again probe by probe, for a quarter of the budget more, so
        the hits of the probes before the slow one still come back."""
        seen: dict[int, str] = {}
        budget_s = self.budget_ms(budget_ms) / 1000
        deadline = time.perf_counter() + budget_s
        partial = False
        with self.read() as conn:
            for segment in segments(probes):
                if len(seen) >= limit:
                    break
                left = math.ceil((deadline - time.perf_counter()) * 1000)
                if left <= 0:
                    partial = True
                    break
                sql, params = batch_sql_pg(target, segment, limit)
                try:
                    (arrays,) = _timed_rows(conn, sql, params, left)
                except psycopg.errors.QueryCanceled:
                    partial = True
                    if len(segment) > 1:
                        grace = time.perf_counter() + budget_s / 4
                        _one_by_one(conn, target, segment, limit, seen, grace)
                    break
                for probe, ids in zip(segment, arrays, strict=True):
                    _take(seen, probe, ids, limit)
        return ProbeResult(list(seen.items()), partial)

    @staticmethod
    def budget_ms(sqlite_budget: float) -> float:
        """A round trip per probe costs what SQLite's in-process call does not."""
        return sqlite_budget * 4

    def explain_probes(
        self, target: SearchTarget, probes: Sequence[Probe], limit: int = 20
    ) -> list[tuple[Probe, str, list[str]]]:
        out: list[tuple[Probe, str, list[str]]] = []
        with self.pool.connection() as conn:
            for probe in probes:
                sql, params = probe_sql_pg(target, probe, limit)
                plan = [r[0] for r in conn.execute(query(f"EXPLAIN {sql}"), params)]
                out.append((probe, sql, plan))
        return out

    def index_texts(self, db: Database, table: str, pairs: Sequence[tuple[int, Row]]) -> None:
        """Token strings and grams of new rows, by COPY (inside the caller's write)."""
        texts = TEXTS[table]
        copy_text(self.db, table, [text_rows(table, i, texts(r)) for i, r in pairs])
