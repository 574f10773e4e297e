"""Bulk loading on PostgreSQL: the shared loader (its search rows by COPY, see
PgSearchMixin.index_texts), identity counters moved past explicit ids, statistics
refreshed."""

from __future__ import annotations

from collections.abc import Iterable

from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.postgres.schema import ID_TABLES
from agent_console.server.storage.sql.loading import LoadingMixin

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


class PgLoadingMixin(LoadingMixin, PostgresCore):
    def bulk_load(self, kind: str, rows: Iterable[Row], batch: int = 5000) -> int:
        n = super().bulk_load(kind, rows, batch)
        self.sync_ids(_TABLE_OF.get(kind, kind))
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
