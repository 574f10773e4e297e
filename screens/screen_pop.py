"""The backend's event stream, kept open in a worker, and what events do.

`incoming_call`, `call_answered` and `call_ended` go to the seat (screens/seat.py):
the call rings, is taken here or elsewhere, ends. A `ticket_updated` (one of my tickets
moved, e.g. a field station took it in hand) is told to every screen showing tickets
through the `ticket_moved` signal. Other features react to their own events by adding
a handler: `app.event_stream.handlers["practice_hint"] = ...`.
The stream's state is shown in the status bar; the logic of reading and
reconnecting lives in agent_console/sse.py, without Textual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.signal import Signal
from textual.worker import Worker

from agent_console.client import Unauthorized
from agent_console.sse import Backoff, EventConsumer, ServerEvent

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.events")


class EventStream:
    def __init__(self, console: AgentConsole) -> None:
        self.console = console
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "incoming_call": self.incoming_call,
            "call_answered": lambda data: self.console.seat.answered(data),
            "call_ended": lambda data: self.console.seat.ended(data),
            "ticket_updated": self.ticket_updated,
        }
        # The id of a ticket of mine that changed: follow-ups and ticket detail reload.
        self.ticket_moved: Signal[int] = Signal(console, "ticket_moved")
        self.worker: Worker[None] | None = None
        self.consumer: EventConsumer | None = None

    def start(self) -> None:
        """(Re)open the stream for the signed-in agent; a running one is replaced."""
        settings = self.console.settings.events
        if not settings.enabled:
            return
        client = self.console.client
        self.consumer = EventConsumer(
            _Source(client, settings.silence_timeout),
            self.dispatch,
            self.state_changed,
            Backoff(cap=settings.reconnect_max),
            is_auth_error=lambda exc: isinstance(exc, Unauthorized),
        )
        self.worker = self.console.run_worker(
            self.consumer.run(), group="event-stream", exclusive=True, exit_on_error=False
        )

    def state_changed(self, state: str, retry_in: float | None) -> None:
        log.info("event stream %s%s", state, f" (retry in {retry_in:.1f} s)" if retry_in else "")
        self.console.session.events = state
        self.console.publish_status()

    def dispatch(self, event: ServerEvent) -> None:
        handler = self.handlers.get(event.type)
        if handler is not None:
            handler(event.data)

    def ticket_updated(self, data: dict[str, Any]) -> None:
        ticket_id = data.get("ticket_id")
        if isinstance(ticket_id, int) and not isinstance(ticket_id, bool):
            log.info("ticket %s now %s (by %s)", ticket_id, data.get("status"), data.get("by"))
            self.ticket_moved.publish(ticket_id)

    # -- calls: the seat decides (screens/seat.py, agent_console/seat/) --------------------
    def incoming_call(self, data: dict[str, Any]) -> None:
        # A locked seat shows no caller: the pop waits for the agent to sign in again.
        if self.console.lock.hold(lambda: self.incoming_call(data)):
            return
        self.console.seat.rang(data)


class _Source:
    """The client's event stream with the configured silence timeout."""

    def __init__(self, client: Any, silence_timeout: float) -> None:
        self.client = client
        self.silence_timeout = silence_timeout

    def events(self, last_event_id: str = "") -> Any:
        return self.client.events(last_event_id, read_timeout=self.silence_timeout)
