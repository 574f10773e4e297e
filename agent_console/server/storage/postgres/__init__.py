"""The PostgreSQL engine: a whole centre on one database, several server processes.

The shared areas are the SQL both engines run (storage/sql), with PostgreSQL's
numbered parameters (its dialect); the Pg* mixins give it PostgreSQL's own search (token
strings, trigrams and grams for SQLite's FTS5), bulk loading by COPY and the shared
event stream.
"""

from __future__ import annotations

from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.postgres.events import PgEventsMixin
from agent_console.server.storage.postgres.knowledge import PgKnowledgeMixin
from agent_console.server.storage.postgres.loading import PgLoadingMixin
from agent_console.server.storage.postgres.search import PgSearchMixin
from agent_console.server.storage.sql.areas import SharedAreas


class PostgresStorage(
    PgEventsMixin,
    PgSearchMixin,
    PgLoadingMixin,
    PgKnowledgeMixin,
    SharedAreas,
    PostgresCore,
):
    """Storage on PostgreSQL through a psycopg 3 connection pool."""


__all__ = ["PostgresStorage"]
