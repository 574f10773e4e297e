"""The areas both engines share, as one class: an engine's storage is these areas plus
its own core, search, knowledge-base probes and bulk loading (sqlite/, postgres/), so
a new area is added here once, not to each engine's list."""

from __future__ import annotations

from agent_console.server.storage.sql.agent_states import AgentStatesMixin
from agent_console.server.storage.sql.board import BoardMixin
from agent_console.server.storage.sql.call_life import CallLifeMixin
from agent_console.server.storage.sql.calls import CallsMixin
from agent_console.server.storage.sql.floor import FloorMixin
from agent_console.server.storage.sql.kb_flags import KbFlagsMixin
from agent_console.server.storage.sql.logins import LoginsMixin
from agent_console.server.storage.sql.messages import MessagesMixin
from agent_console.server.storage.sql.people import PeopleMixin
from agent_console.server.storage.sql.practice import PracticeMixin
from agent_console.server.storage.sql.quality import QualityMixin
from agent_console.server.storage.sql.reviews import ReviewsMixin
from agent_console.server.storage.sql.tickets import TicketsMixin


class SharedAreas(
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
    FloorMixin,
    AgentStatesMixin,
    BoardMixin,
):
    """People and sign-in, tickets, messages, practice, quality and reviews, calls,
    the floor, agent states and the board."""
