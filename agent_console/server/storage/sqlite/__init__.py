"""The SQLite engine: the embedded default (demo, one seat, a small centre)."""

from __future__ import annotations

from agent_console.server.storage.sql.areas import SharedAreas
from agent_console.server.storage.sql.callers import CallersMixin
from agent_console.server.storage.sql.directory import DirectoryMixin
from agent_console.server.storage.sql.loading import LoadingMixin
from agent_console.server.storage.sqlite.knowledge import SqliteKnowledgeMixin
from agent_console.server.storage.sqlite.search import SqliteSearchMixin


class SQLiteStorage(
    CallersMixin,
    DirectoryMixin,
    LoadingMixin,
    SqliteKnowledgeMixin,
    SharedAreas,
    SqliteSearchMixin,
):
    """Storage on one SQLite file in WAL mode, through the standard library: the shared
    SQL (storage/sql) with FTS5 search."""


__all__ = ["SQLiteStorage"]
