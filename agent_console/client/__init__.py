"""The only place that speaks HTTP: `BackendClient`, one object for the console's life.

One module per area of the backend's API, like server/routes/: `session`, `callers`
(and the directory), `knowledge` (KB, scripts, reference lists), `tickets` (and SMS),
`calls` (and the seat's state), `practice`, `supervision` (the wallboard), `floor`
(messages from the floor, a supervisor's hand on seats), `quality` (reviews, coaching),
`stream` (the event stream); `base` holds the connection and the one path from a
response to its body or failure (`errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_console.client.base import ClientBase
from agent_console.client.callers import CallerCalls
from agent_console.client.calls import CallCalls
from agent_console.client.errors import BackendError, BackendUnavailable, Unauthorized
from agent_console.client.floor import FloorCalls
from agent_console.client.knowledge import KnowledgeCalls
from agent_console.client.practice import PracticeCalls
from agent_console.client.quality import QualityCalls
from agent_console.client.session import SessionCalls
from agent_console.client.stream import StreamCalls
from agent_console.client.supervision import SupervisionCalls
from agent_console.client.tickets import TicketCalls

if TYPE_CHECKING:
    from agent_console.config import Settings

__all__ = ["BackendClient", "BackendError", "BackendUnavailable", "Unauthorized"]


class BackendClient(
    SessionCalls,
    CallerCalls,
    KnowledgeCalls,
    TicketCalls,
    CallCalls,
    PracticeCalls,
    SupervisionCalls,
    FloorCalls,
    QualityCalls,
    StreamCalls,
    ClientBase,
):
    """Every call the console makes to the backend, by area (see the modules)."""

    @classmethod
    def from_settings(cls, settings: Settings, token: str | None = None) -> BackendClient:
        """The client as the config says: URL, timeouts, and TLS verification (a CA
        bundle, or the system's CAs) for every request, the event stream included."""
        from agent_console.config import verify_setting

        backend = settings.backend
        return cls(
            backend.url,
            token,
            timeout=backend.timeout,
            connect_timeout=backend.connect_timeout,
            verify=verify_setting(settings),
        )
