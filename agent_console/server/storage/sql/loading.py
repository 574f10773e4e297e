"""Bulk loading for demo data and synthetic seeding (one transaction per batch)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.callers import CALLER_INSERT, caller_index_row
from agent_console.server.storage.sql.directory import DIRECTORY_INSERT, directory_index_row
from agent_console.server.storage.sql.knowledge import KnowledgeMixin
from agent_console.server.storage.sql.scripts import ScriptsMixin

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
            "team",
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

# kind -> (insert, its row); the search rows are the engine's (SqlCore.index_texts).
_INDEXED: dict[str, tuple[str, Callable[[Row], tuple[object, ...]]]] = {
    "callers": (CALLER_INSERT, caller_index_row),
    "directory": (DIRECTORY_INSERT, directory_index_row),
}


def _with_id(insert: str) -> str:
    head, values = insert.split(" VALUES ")
    table, cols = head.split("(", 1)
    return f"{table}(id, {cols} VALUES (?, {values.removeprefix('(')}"


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch


class LoadingMixin(KnowledgeMixin, ScriptsMixin):
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

    def bulk_load(self, kind: str, rows: Iterable[Row], batch: int = 20000) -> int:
        # Articles (index rows) and guides (JSON steps) load as their mixins write them.
        if kind == "articles":
            return self.bulk_load_articles(rows, batch)
        if kind == "guides":
            return self.bulk_load_guides(rows)
        if kind in _PLAIN:
            table, cols = _PLAIN[kind]
            sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            n = 0
            for chunk in _batches(rows, batch):
                with self.write() as db:
                    db.executemany(sql, [tuple(r.get(c, "") for c in cols) for r in chunk])
                n += len(chunk)
            return n
        insert, index_row = _INDEXED[kind]
        insert_id = _with_id(insert)
        n = 0
        for chunk in _batches(rows, batch):
            with self.write() as db:
                start = (db.execute(f"SELECT max(id) FROM {kind}").fetchone()[0] or 0) + 1
                pairs = list(zip(range(start, start + len(chunk)), chunk, strict=True))
                db.executemany(insert_id, [(i, *index_row(r)) for i, r in pairs])
                self.index_texts(db, kind, pairs)
            n += len(chunk)
        return n
