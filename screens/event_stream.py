"""The seat's event stream (agent_console/seat/event_stream.py) as screens see it:
its ticket moves and missed calls as Textual signals, which a screen subscribes to
for as long as it is mounted (follow-ups, the caller log and ticket detail reload).

A feature reacts to its own events with `app.event_stream.on(kind, listener)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.signal import Signal

from agent_console.seat.event_stream import EventStream

if TYPE_CHECKING:
    from agent_console.app import AgentConsole


class ConsoleEventStream(EventStream):
    def __init__(self, console: AgentConsole) -> None:
        super().__init__(
            console.client,
            console.settings.events,
            console.session,
            spawn=console.spawn,
            publish=console.publish_status,
        )
        # The id of a ticket of mine that changed, for the screens showing it.
        self.ticket_moved: Signal[int] = Signal(console, "ticket_moved")
        self.on_ticket_moved.append(self.ticket_moved.publish)
        # A call ended that nobody answered: the caller log (F7) reloads.
        self.call_missed: Signal[int] = Signal(console, "call_missed")
        self.on_call_missed.append(self.call_missed.publish)
