"""The SQLite engine: the embedded default (demo, one seat, a small centre)."""

from __future__ import annotations

from agent_console.server.storage.sql.agent_states import AgentStatesMixin
from agent_console.server.storage.sql.call_life import CallLifeMixin
from agent_console.server.storage.sql.callers import CallersMixin
from agent_console.server.storage.sql.calls import CallsMixin
from agent_console.server.storage.sql.directory import DirectoryMixin
from agent_console.server.storage.sql.kb_flags import KbFlagsMixin
from agent_console.server.storage.sql.loading import LoadingMixin
from agent_console.server.storage.sql.logins import LoginsMixin
from agent_console.server.storage.sql.messages import MessagesMixin
from agent_console.server.storage.sql.people import PeopleMixin
from agent_console.server.storage.sql.practice import PracticeMixin
from agent_console.server.storage.sql.quality import QualityMixin
from agent_console.server.storage.sql.reviews import ReviewsMixin
from agent_console.server.storage.sql.tickets import TicketsMixin
from agent_console.server.storage.sqlite.knowledge import SqliteKnowledgeMixin
from agent_console.server.storage.sqlite.search import SqliteSearchMixin


class SQLiteStorage(
    PeopleMixin,
    LoginsMixin,
    CallersMixin,
    DirectoryMixin,
    LoadingMixin,
    SqliteKnowledgeMixin,
    KbFlagsMixin,
    TicketsMixin,
    MessagesMixin,
    PracticeMixin,
    QualityMixin,
    ReviewsMixin,
    CallsMixin,
    CallLifeMixin,
    AgentStatesMixin,
    SqliteSearchMixin,
):
    """Storage on one SQLite file in WAL mode, through the standard library: the shared
    SQL (storage/sql) with FTS5 search."""


__all__ = ["SQLiteStorage"]
