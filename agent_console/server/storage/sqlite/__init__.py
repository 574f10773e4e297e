"""The SQLite engine: the embedded default (demo, one seat, a small centre)."""

from __future__ import annotations

from agent_console.server.storage.sqlite.agent_states import AgentStatesMixin
from agent_console.server.storage.sqlite.call_life import CallLifeMixin
from agent_console.server.storage.sqlite.callers import CallersMixin
from agent_console.server.storage.sqlite.calls import CallsMixin
from agent_console.server.storage.sqlite.directory import DirectoryMixin
from agent_console.server.storage.sqlite.kb_flags import KbFlagsMixin
from agent_console.server.storage.sqlite.knowledge import KnowledgeMixin
from agent_console.server.storage.sqlite.loading import LoadingMixin
from agent_console.server.storage.sqlite.logins import LoginsMixin
from agent_console.server.storage.sqlite.messages import MessagesMixin
from agent_console.server.storage.sqlite.people import PeopleMixin
from agent_console.server.storage.sqlite.practice import PracticeMixin
from agent_console.server.storage.sqlite.scripts import ScriptsMixin
from agent_console.server.storage.sqlite.tickets import TicketsMixin


class SQLiteStorage(
    PeopleMixin,
    LoginsMixin,
    CallersMixin,
    DirectoryMixin,
    KnowledgeMixin,
    KbFlagsMixin,
    ScriptsMixin,
    TicketsMixin,
    MessagesMixin,
    PracticeMixin,
    CallsMixin,
    CallLifeMixin,
    LoadingMixin,
    AgentStatesMixin,
):
    """Storage on one SQLite file in WAL mode, through the standard library."""


__all__ = ["SQLiteStorage"]
