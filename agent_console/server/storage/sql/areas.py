"""The areas both engines share, as one class: an engine's storage is these areas plus
its own core, search, knowledge-base probes and bulk loading (sqlite/, postgres/), so
a new area is added here once, not to each engine's list."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from agent_console.server.storage.base import CardReads
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

if TYPE_CHECKING:
    from agent_console.server.storage import Storage

#: A card's latest tickets and open follow-ups, at most.
CARD_TICKETS = 10
CARD_FOLLOWUPS = 20


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

    def card_reads(self, caller_id: int, area: str, since: str) -> CardReads | None:
        """A caller card's reads, one statement each (on PostgreSQL, one statement for
        all: postgres/search.py); None for an unknown caller."""
        caller = cast("Storage", self).get_caller(caller_id)
        if caller is None:
            return None
        recent = self.list_tickets(caller_id, None, area, CARD_TICKETS)
        followups = self.open_followups(caller_id, area, CARD_FOLLOWUPS)
        return caller, recent, followups, self.caller_ticket_count(caller_id, area, since)

    async def card_reads_on_loop(
        self, caller_id: int, area: str, since: str
    ) -> tuple[bool, CardReads | None]:
        """card_reads without leaving the event loop, where the engine can: (True, its
        answer), or (False, None) for card_reads where server/reads.py runs reads."""
        return False, None
