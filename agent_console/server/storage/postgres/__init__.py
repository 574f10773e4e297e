"""The PostgreSQL engine: a whole centre on one database, several server processes.

The area mixins are the shared SQL (storage/sql), put in PostgreSQL's spelling by its
dialect; the Pg* mixins give it PostgreSQL's own search (token strings, trigrams and
grams for SQLite's FTS5), bulk loading by COPY and the shared event stream.
"""

from __future__ import annotations

from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.postgres.events import PgEventsMixin
from agent_console.server.storage.postgres.knowledge import PgKnowledgeMixin
from agent_console.server.storage.postgres.loading import PgLoadingMixin
from agent_console.server.storage.postgres.search import PgSearchMixin
from agent_console.server.storage.sql.agent_states import AgentStatesMixin
from agent_console.server.storage.sql.call_life import CallLifeMixin
from agent_console.server.storage.sql.calls import CallsMixin
from agent_console.server.storage.sql.kb_flags import KbFlagsMixin
from agent_console.server.storage.sql.logins import LoginsMixin
from agent_console.server.storage.sql.messages import MessagesMixin
from agent_console.server.storage.sql.people import PeopleMixin
from agent_console.server.storage.sql.practice import PracticeMixin
from agent_console.server.storage.sql.quality import QualityMixin
from agent_console.server.storage.sql.reviews import ReviewsMixin
from agent_console.server.storage.sql.tickets import TicketsMixin


class PostgresStorage(
    PgEventsMixin,
    PgSearchMixin,
    PgLoadingMixin,
    PgKnowledgeMixin,
    PeopleMixin,
    LoginsMixin,
    KbFlagsMixin,
    TicketsMixin,
    MessagesMixin,
    PracticeMixin,
    QualityMixin,
    ReviewsMixin,
    CallsMixin,
    CallLifeMixin,
    AgentStatesMixin,
    PostgresCore,
):
    """Storage on PostgreSQL through a psycopg 3 connection pool."""


__all__ = ["PostgresStorage"]
