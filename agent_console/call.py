"""The call in progress: who is on the line and what was said and sent.

Screens add to it (a caller opened, a script line said, an article sent); the ticket
form reads it to pre-fill the caller and the notes. No Textual here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from agent_console.models import Caller


@dataclass(frozen=True)
class TicketPrefill:
    """What a guided script learned, handed to the ticket form (read once, on resume)."""

    category: str = ""
    priority: str = ""
    summary: str = ""
    notes: tuple[str, ...] = ()
    source: str = ""  # what produced it, e.g. the guide's title


@dataclass
class CallContext:
    caller: Caller | None = None
    started: float | None = None  # time.monotonic() at answer
    notes: list[str] = field(default_factory=list)
    number: str = ""  # the number the call came from (screen-pop), full
    call_id: int | None = None  # the backend's id of a call it placed
    ticket_prefill: TicketPrefill | None = None

    def set_caller(self, caller: Caller) -> None:
        self.caller = caller
        if self.started is None:
            self.started = time.monotonic()

    def add_note(self, line: str) -> None:
        line = " ".join(line.split())
        if line and line not in self.notes:
            self.notes.append(line)

    def elapsed(self) -> float | None:
        return None if self.started is None else time.monotonic() - self.started

    def take_ticket_prefill(self) -> TicketPrefill | None:
        """The pending pre-fill, once: the ticket form applies it and it is gone."""
        prefill, self.ticket_prefill = self.ticket_prefill, None
        return prefill

    def clear(self) -> None:
        self.caller = None
        self.started = None
        self.notes.clear()
        self.ticket_prefill = None
        self.number = ""
        self.call_id = None

    def begin(self, number: str, call_id: int | None = None) -> None:
        """A new call rings in: forget the last one, start the timer now."""
        self.clear()
        self.number = number
        self.call_id = call_id
        self.started = time.monotonic()
