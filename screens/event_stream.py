"""The seat's event stream (agent_console/seat/event_stream.py) as screens see it:
its ticket moves as a Textual signal, which a screen subscribes to for as long as it
is mounted (follow-ups and ticket detail reload).

A feature reacts to its own events with `app.event_stream.on(kind, listener)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
        self.console = console
        # The id of a ticket of mine that changed, for the screens showing it.
        self.ticket_moved: Signal[int] = Signal(console, "ticket_moved")
        self.on_ticket_moved.append(self.ticket_moved.publish)
        self.on("incoming_call", self.incoming_call)
        self.on("call_answered", lambda data: console.seat.answered(data))
        self.on("call_ended", lambda data: console.seat.ended(data))

    def incoming_call(self, data: dict[str, Any]) -> None:
        # A locked seat shows no caller: the pop waits for the agent to sign in again.
        if self.console.lock.hold(lambda: self.incoming_call(data)):
            return
        self.console.seat.rang(data)
