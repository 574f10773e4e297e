"""Bulk loading for demo data and synthetic seeding (one transaction per batch)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from agent_console.server.storage.base import Row
from agent_console.server.storage.sqlite.callers import (
    CALLER_FTS_INSERT,
    CALLER_INSERT,
    caller_fts_row,
    caller_index_row,
)
from agent_console.server.storage.sqlite.core import SQLiteCore
from agent_console.server.storage.sqlite.directory import (
    DIRECTORY_FTS_INSERT,
    DIRECTORY_INSERT,
    directory_fts_row,
    directory_index_row,
)

_PLAIN = {
    "agents": (
        "agents",
        (
            "id",
            "name",
            "role",
            "agent_no",
            "hotline",
            "language",
            "password_hash",
            "station",
            "extension",
        ),
    ),
    "hotlines": ("hotlines", ("code", "kind", "name_zh", "name_en", "centre_zh", "centre_en")),
    "stations": ("stations", ("code", "name_zh", "name_en", "hotline", "district", "phone")),
    "compounds": ("compounds", ("name", "district", "served", "station")),
    "scripts": (
        "scripts",
        ("hotline", "stage", "language", "time_of_day", "title", "body", "sort"),
    ),
    "categories": (
        "ticket_categories",
        ("id", "parent", "name_zh", "name_en", "hotline", "priority_default", "sort"),
    ),
}

# kind -> (table, insert with explicit id, index row, fts insert, fts row)
_INDEXED: dict[str, tuple[str, str, Callable[[Row], tuple], str, Callable[[int, Row], tuple]]] = {
    "callers": ("callers", CALLER_INSERT, caller_index_row, CALLER_FTS_INSERT, caller_fts_row),
    "directory": (
        "directory",
        DIRECTORY_INSERT,
        directory_index_row,
        DIRECTORY_FTS_INSERT,
        directory_fts_row,
    ),
}


def _with_id(insert: str) -> str:
    head, values = insert.split(" VALUES ")
    table, cols = head.split("(", 1)
    return f"{table}(id, {cols} VALUES (?, {values.removeprefix('(')}"


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch


class LoadingMixin(SQLiteCore):
    def is_empty(self) -> bool:
        return self.one("SELECT 1 AS x FROM agents LIMIT 1") is None

    def counts(self) -> dict[str, int]:
        tables = (
            "agents",
            "callers",
            "directory",
            "kb_articles",
            "scripts",
            "ticket_categories",
            "stations",
            "compounds",
            "tickets",
        )
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def optimize(self) -> None:
        """Refresh planner statistics and merge FTS segments after a bulk load."""
        fts_tables = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
        ).fetchall()
        for (fts,) in fts_tables:
            self.db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
        self.db.execute("ANALYZE")

    def bulk_load(self, kind: str, rows: Iterable[Row], batch: int = 20000) -> int:
        # Articles (two indexes each) and guides (JSON steps) load in their own mixins.
        if kind == "articles":
            return self.bulk_load_articles(rows, batch)  # type: ignore[attr-defined]
        if kind == "guides":
            return self.bulk_load_guides(rows)  # type: ignore[attr-defined]
        if kind in _PLAIN:
            table, cols = _PLAIN[kind]
            sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            n = 0
            for chunk in _batches(rows, batch):
                with self.write() as db:
                    db.executemany(sql, [tuple(r.get(c, "") for c in cols) for r in chunk])
                n += len(chunk)
            return n
        table, insert, index_row, fts_insert, fts_row = _INDEXED[kind]
        insert_id = _with_id(insert)
        n = 0
        for chunk in _batches(rows, batch):
            with self.write() as db:
                start = (db.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1
                ids = range(start, start + len(chunk))
                db.executemany(
                    insert_id, [(i, *index_row(r)) for i, r in zip(ids, chunk, strict=True)]
                )
                db.executemany(fts_insert, [fts_row(i, r) for i, r in zip(ids, chunk, strict=True)])
            n += len(chunk)
        return n
