"""Search on SQLite: probes (see search_plan) against its indexes and FTS5 tables, and
the FTS5 rows written for new callers and listings.

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
from collections.abc import Sequence

from agent_console.server.phrase_match import (
    five_phrase,
    pair_phrase,
    seven_phrase,
    token_fives,
    token_pairs,
    token_sevens,
    token_triples,
    triple_phrase,
)
from agent_console.server.search_plan import Probe
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import (
    SEARCH_BUDGET_MS,
    Database,
    ProbeResult,
    SearchTarget,
)
from agent_console.server.storage.sqlite.core import SQLiteCore
from agent_console.server.textkeys import prefix_upper_bound, spaced_cjk

_CHECK_EVERY = 2000  # SQLite VM steps between two looks at the clock


# A view whose trigger fans the text out to one FTS table per column (schema step 3).
CALLER_FTS_INSERT = "INSERT INTO callers_text(id, name, address, compound) VALUES (?,?,?,?)"
DIRECTORY_FTS_INSERT = (
    "INSERT INTO directory_fts(rowid, name, address, department) VALUES (?,?,?,?)"
)


def caller_fts_row(ident: int, data: Row) -> tuple[object, ...]:
    return (
        ident,
        spaced_cjk(data["name"]),
        spaced_cjk(data.get("address", "")),
        spaced_cjk(data.get("compound", "")),
    )


def directory_fts_row(ident: int, data: Row) -> tuple[object, ...]:
    name = data["name"] + (" " + data["name_en"] if data.get("name_en") else "")
    return (
        ident,
        spaced_cjk(name),
        spaced_cjk(data.get("address", "")),
        spaced_cjk(data.get("department", "")),
    )


_FTS_ROWS = {
    "callers": (CALLER_FTS_INSERT, caller_fts_row),
    "directory": (DIRECTORY_FTS_INSERT, directory_fts_row),
}
#: Each entity's pair tables (schema step 14) and their columns, in its FTS row's order.
_PAIR_TABLES = {
    "callers": (
        ("callers_name_pairs", "name"),
        ("callers_address_pairs", "address"),
        ("callers_compound_pairs", "compound"),
    ),
    "directory": (
        ("directory_name_pairs", "name"),
        ("directory_address_pairs", "address"),
        ("directory_department_pairs", "department"),
    ),
}


#: The columns with a table of runs of five (schema step 17) and of seven (step 18);
#: every column has its pairs (step 14) and triples (step 16).
_LONG_RUNS = {
    "_fives": {"callers": ("address",), "directory": ("name", "address", "department")},
    "_sevens": {"callers": ("address",), "directory": ("name", "address")},
}


def pair_inserts(
    table: str, fts_rows: Sequence[tuple[object, ...]]
) -> list[tuple[str, list[tuple[object, str]]]]:
    """(INSERT, rows) into each pair, triple (schema step 16), five (step 17) and seven
    (step 18) table for FTS rows (id, spaced texts...); a text of too few tokens has no
    row there."""
    out: list[tuple[str, list[tuple[object, str]]]] = []
    runs = (
        (token_pairs, "_pairs"),
        (token_triples, "_triples"),
        (token_fives, "_fives"),
        (token_sevens, "_sevens"),
    )
    for grams, suffix in runs:
        for n, (pairs_table, column) in enumerate(_PAIR_TABLES[table], start=1):
            if suffix in _LONG_RUNS and column not in _LONG_RUNS[suffix][table]:
                continue
            rows = [(r[0], grams(str(r[n]))) for r in fts_rows]
            gram_table = pairs_table.removesuffix("_pairs") + suffix
            insert = f"INSERT INTO {gram_table}(rowid, {column}) VALUES (?,?)"
            out.append((insert, [r for r in rows if r[1]]))
    return out


class SqliteSearchMixin(SQLiteCore):
    def run_probes(
        self,
        target: SearchTarget,
        probes: Sequence[Probe],
        limit: int,
        budget_ms: float = SEARCH_BUDGET_MS,
        rows: str | None = None,
    ) -> ProbeResult:
        """Ids and match kinds, best kind first, each id once, at most `limit`. The
        rows are read after (`rows` unused): SQLite has no round trip to save."""
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
                    found = db.execute(sql, params).fetchall()
                except sqlite3.OperationalError as exc:
                    if "interrupted" not in str(exc):
                        raise
                    partial = True
                    break
                for (ident,) in found:
                    if ident not in seen:
                        seen[ident] = probe.kind
                        if len(seen) >= limit:
                            break
        finally:
            db.set_progress_handler(None, 0)
        return ProbeResult(list(seen.items()), partial)

    def fetch_in_order(self, select: str, ids: Sequence[int]) -> dict[int, Row]:
        """SqlCore's, with each row made a dict by position: dict() of an sqlite3.Row
        looks every column up by name (a third of the fetch of a search's 20 rows)."""
        if not ids:
            return {}
        cur = self.db.execute(f"{select} ({','.join('?' * len(ids))})", tuple(ids))
        names = [d[0] for d in cur.description]
        key = names.index("id")
        return {int(r[key]): dict(zip(names, r, strict=True)) for r in cur}

    def explain_probes(
        self, target: SearchTarget, probes: Sequence[Probe], limit: int = 20
    ) -> list[tuple[Probe, str, list[str]]]:
        """Each probe with its SQL and SQLite's query plan (for the benchmark)."""
        out: list[tuple[Probe, str, list[str]]] = []
        for probe in probes:
            sql, params = probe_sql(target, probe, limit)
            plan = [str(r[3]) for r in self.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            out.append((probe, sql, plan))
        return out

    def optimize(self) -> None:
        """Refresh planner statistics and merge FTS segments after a bulk load."""
        fts_tables = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
        ).fetchall()
        for (fts,) in fts_tables:
            self.db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
        self.db.execute("ANALYZE")

    def index_texts(self, db: Database, table: str, pairs: Sequence[tuple[int, Row]]) -> None:
        insert, row = _FTS_ROWS[table]
        rows = [row(i, data) for i, data in pairs]
        db.executemany(insert, rows)
        for pair_insert, values in pair_inserts(table, rows):
            db.executemany(pair_insert, values)


def probe_sql(target: SearchTarget, probe: Probe, limit: int) -> tuple[str, tuple[object, ...]]:
    """The one statement a probe runs: always through an index, always with a LIMIT."""
    if probe.how == "fts":
        # The longest runs of tokens indexed: sevens for 7+ tokens and fives for 5+
        # where the column has them, else triples for 3+, pairs for 2 (rarer terms,
        # shorter doclists).
        runs = (
            (target.sevens, seven_phrase),
            (target.fives, five_phrase),
            (target.triples, triple_phrase),
            (target.pairs, pair_phrase),
        )
        for grams, phrase_of in runs:
            phrase = phrase_of(probe.value) if probe.column in grams else None
            if phrase is not None:
                table = grams[probe.column]
                return f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (phrase, limit)
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
