"""The seat's event stream: the backend's events, kept coming, fanned out by kind.

Reading the stream and reconnecting is agent_console/sse.py (EventConsumer); this
keeps one open for the signed-in agent, puts its state in the session for the status
bar, and hands each event to the listeners of its kind, in the order they were added.
A feature reacts to its events by adding a listener:

    stream.on("call_ended", lambda data: ...)

The seat's calls listen to `incoming_call`, `call_answered` and `call_ended`
(agent_console/seat/seat_service.py); a `ticket_updated` (one of my tickets moved,
e.g. a field station took it in hand) is read here and its ticket id handed to the
`on_ticket_moved` listeners; a `call_ended` nobody answered goes to `on_call_missed`.
No Textual here.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent_console.client import Unauthorized
from agent_console.seat.ports import Spawn
from agent_console.sse import Backoff, EventConsumer, ServerEvent

if TYPE_CHECKING:
    from agent_console.config import EventsSettings
    from agent_console.session import SessionState

log = logging.getLogger("agent_console.events")

#: What an event's listener gets: the event's data (a dict, read defensively).
Listener = Callable[[dict[str, Any]], None]


class EventClient(Protocol):
    """The part of the BackendClient the stream uses."""

    def events(
        self, last_event_id: str = "", read_timeout: float = ...
    ) -> AsyncIterator[ServerEvent]: ...


class EventStream:
    def __init__(
        self,
        client: EventClient,
        settings: EventsSettings,
        session: SessionState,
        *,
        spawn: Spawn,
        publish: Callable[[], None],
    ) -> None:
        self.client = client
        self.settings = settings
        self.session = session
        self.spawn = spawn
        self.publish = publish  # the status bar shows the stream's state again
        self.listeners: dict[str, list[Listener]] = {}
        # The id of a ticket of mine that changed: follow-ups and ticket detail reload.
        self.on_ticket_moved: list[Callable[[int], None]] = []
        # A call ended that nobody answered (its id, 0 if none): the caller log reloads.
        self.on_call_missed: list[Callable[[int], None]] = []
        self.consumer: EventConsumer | None = None
        self.on("ticket_updated", self._ticket_updated)
        self.on("call_ended", self._call_ended)

    def on(self, kind: str, listener: Listener) -> None:
        """Call `listener` with the data of every event of this kind, from now on."""
        self.listeners.setdefault(kind, []).append(listener)

    def start(self) -> None:
        """(Re)open the stream for the signed-in agent; a running one is replaced."""
        settings = self.settings
        if not settings.enabled:
            return
        self.consumer = EventConsumer(
            _Source(self.client, settings.silence_timeout),
            self.dispatch,
            self.state_changed,
            Backoff(cap=settings.reconnect_max),
            is_auth_error=lambda exc: isinstance(exc, Unauthorized),
        )
        self.spawn(self.consumer.run(), group="event-stream", exclusive=True)

    def state_changed(self, state: str, retry_in: float | None) -> None:
        log.info("event stream %s%s", state, f" (retry in {retry_in:.1f} s)" if retry_in else "")
        self.session.events = state
        self.publish()

    def dispatch(self, event: ServerEvent) -> None:
        for listener in list(self.listeners.get(event.type, ())):
            listener(event.data)

    def _ticket_updated(self, data: dict[str, Any]) -> None:
        ticket_id = data.get("ticket_id")
        if isinstance(ticket_id, int) and not isinstance(ticket_id, bool):
            log.info("ticket %s now %s (by %s)", ticket_id, data.get("status"), data.get("by"))
            for listener in list(self.on_ticket_moved):
                listener(ticket_id)

    def _call_ended(self, data: dict[str, Any]) -> None:
        if data.get("answered") is False:
            call_id = data.get("call_id")
            missed = call_id if isinstance(call_id, int) and not isinstance(call_id, bool) else 0
            for listener in list(self.on_call_missed):
                listener(missed)


class _Source:
    """The client's event stream with the configured silence timeout."""

    def __init__(self, client: EventClient, silence_timeout: float) -> None:
        self.client = client
        self.silence_timeout = silence_timeout

    def events(self, last_event_id: str = "") -> AsyncIterator[ServerEvent]:
        return self.client.events(last_event_id, read_timeout=self.silence_timeout)
