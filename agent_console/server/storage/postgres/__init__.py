"""The PostgreSQL engine: a whole centre on one database, several server processes.

The area mixins are SQLite's (portable SQL through PostgresCore's DB-API surface);
the Pg* mixins before them replace what SQLite does with FTS5 or its own functions.
"""

from __future__ import annotations

from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.postgres.events import PgEventsMixin
from agent_console.server.storage.postgres.knowledge import PgKnowledgeMixin
from agent_console.server.storage.postgres.loading import PgLoadingMixin
from agent_console.server.storage.postgres.search import PgSearchMixin
from agent_console.server.storage.sqlite import SQLiteStorage


class PostgresStorage(
    PgEventsMixin,
    PgSearchMixin,
    PgKnowledgeMixin,
    PgLoadingMixin,
    PostgresCore,
    SQLiteStorage,
):
    """Storage on PostgreSQL through a psycopg 3 connection pool."""


__all__ = ["PostgresStorage"]
