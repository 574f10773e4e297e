"""Bulk loading on PostgreSQL: the shared loader, with token strings and grams in place
of FTS5 rows, identity counters moved past explicit ids, statistics refreshed."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.postgres.schema import ID_TABLES
from agent_console.server.storage.postgres.search import (
    caller_texts,
    copy_text,
    directory_texts,
    text_rows,
)
from agent_console.server.storage.sqlite.callers import CALLER_INSERT, caller_index_row
from agent_console.server.storage.sqlite.directory import DIRECTORY_INSERT, directory_index_row
from agent_console.server.storage.sqlite.loading import LoadingMixin, _with_id

_INDEXED = {
    "callers": (CALLER_INSERT, caller_index_row, caller_texts),
    "directory": (DIRECTORY_INSERT, directory_index_row, directory_texts),
}
_TABLE_OF = {
    "agents": "agents",
    "hotlines": "hotlines",
    "stations": "stations",
    "compounds": "compounds",
    "scripts": "scripts",
    "categories": "ticket_categories",
    "guides": "guides",
    "articles": "kb_articles",
    "callers": "callers",
    "directory": "directory",
}


class PgLoadingMixin(PostgresCore):
    def bulk_load(self, kind: str, rows: Iterable[Row], batch: int = 5000) -> int:
        if kind in _INDEXED:
            n = self._bulk_indexed(kind, rows, batch)
        else:
            n = LoadingMixin.bulk_load(self, kind, rows, batch)  # type: ignore[arg-type]
        self.sync_ids(_TABLE_OF.get(kind, kind))
        return n

    def _bulk_indexed(self, kind: str, rows: Iterable[Row], batch: int) -> int:
        insert, index_row, texts = _INDEXED[kind]
        insert_id = _with_id(insert)
        n = 0
        it = iter(rows)
        while chunk := list(itertools.islice(it, batch)):
            with self.write() as db:
                start = (db.execute(f"SELECT max(id) FROM {kind}").fetchone()[0] or 0) + 1
                pairs = list(zip(range(start, start + len(chunk)), chunk, strict=True))
                db.executemany(insert_id, [(i, *index_row(r)) for i, r in pairs])
                copy_text(db, kind, [text_rows(kind, i, texts(r)) for i, r in pairs])
            n += len(chunk)
        return n

    def sync_ids(self, table: str) -> None:
        """Move an identity counter past ids written explicitly (bulk loads, copies)."""
        if table not in ID_TABLES:
            return
        self.db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )

    def optimize(self) -> None:
        """Refresh planner statistics after a bulk load."""
        self.db.execute("ANALYZE")
