"""Running search probes (see search_plan) against SQLite indexes and FTS5 tables.

Every probe is an index range scan or an FTS match with a LIMIT. One kind of query
can still be slow: a phrase of very common characters that never occur side by
side ("号楼单元" in a million addresses all holding 号楼 and 单元) makes FTS5 walk
whole doclists before it knows there is no match. So a search has a time budget:
a probe that runs past it is interrupted, the hits found so far are returned, and
the result says it is partial, so the console can ask for a longer query.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent_console.server.search_plan import Probe
from agent_console.server.storage.sqlite.core import SQLiteCore
from agent_console.server.textkeys import prefix_upper_bound

#: Milliseconds a search may spend in its probes before it stops with what it has.
SEARCH_BUDGET_MS = 12.0
_CHECK_EVERY = 2000  # SQLite VM steps between two looks at the clock


@dataclass(frozen=True)
class SearchTarget:
    """Where one entity's probes run: its table, indexed columns and FTS tables.

    `columns` maps a probe's logical column to the indexed column (suffix probes use
    the column's reversed twin `<column>_rev`); `fts` maps a logical text column to
    (FTS table, whether that table is shared and needs a column filter).
    """

    table: str
    columns: Mapping[str, str]
    fts: Mapping[str, tuple[str, bool]]


@dataclass(frozen=True)
class ProbeResult:
    hits: list[tuple[int, str]]  # (id, match kind), best kind first
    partial: bool  # the budget ran out before every probe had its say


class ProbeRunner(SQLiteCore):
    def run_probes(
        self,
        target: SearchTarget,
        probes: Sequence[Probe],
        limit: int,
        budget_ms: float = SEARCH_BUDGET_MS,
    ) -> ProbeResult:
        """Ids and match kinds, best kind first, each id once, at most `limit`."""
        seen: dict[int, str] = {}
        deadline = time.perf_counter() + budget_ms / 1000
        db = self.db
        db.set_progress_handler(lambda: int(time.perf_counter() > deadline), _CHECK_EVERY)
        partial = False
        try:
            for probe in probes:
                if len(seen) >= limit:
                    break
                sql, params = probe_sql(target, probe, limit)
                try:
                    rows = db.execute(sql, params).fetchall()
                except sqlite3.OperationalError as exc:
                    if "interrupted" not in str(exc):
                        raise
                    partial = True
                    break
                for (ident,) in rows:
                    if ident not in seen:
                        seen[ident] = probe.kind
                        if len(seen) >= limit:
                            break
        finally:
            db.set_progress_handler(None, 0)
        return ProbeResult(list(seen.items()), partial)

    def explain_probes(
        self, target: SearchTarget, probes: Sequence[Probe], limit: int = 20
    ) -> list[tuple[Probe, str, list[str]]]:
        """Each probe with its SQL and SQLite's query plan (for the benchmark)."""
        out = []
        for probe in probes:
            sql, params = probe_sql(target, probe, limit)
            plan = [str(r[3]) for r in self.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            out.append((probe, sql, plan))
        return out

    def fetch_in_order(self, select: str, ids: Sequence[int]) -> dict[int, dict]:
        """Rows for `ids` by id; `select` ends with `WHERE <alias>.id IN ` and gets the list."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r["id"]: dict(r) for r in self.db.execute(f"{select} ({marks})", tuple(ids))}


def probe_sql(target: SearchTarget, probe: Probe, limit: int) -> tuple[str, tuple[object, ...]]:
    """The one statement a probe runs: always through an index, always with a LIMIT."""
    if probe.how == "fts":
        fts, shared = target.fts[probe.column]
        match = f"{probe.column} : {probe.value}" if shared else probe.value
        return f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (match, limit)
    col = target.columns[probe.column]
    if probe.how == "suffix":
        col = f"{col.removesuffix('_digits')}_rev"
    if probe.how == "exact":
        return f"SELECT id FROM {target.table} WHERE {col} = ? LIMIT ?", (probe.value, limit)
    return (
        f"SELECT id FROM {target.table} WHERE {col} >= ? AND {col} < ? ORDER BY {col} LIMIT ?",
        (probe.value, prefix_upper_bound(probe.value), limit),
    )
