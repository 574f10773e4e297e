"""The current call: who is on the line, where the call stands, what was said and sent.

One object for the whole call, from the ring to the wrap-up code: its phase (ringing,
on call, after-call work), its direction, the number, the caller, the notes and the
pre-fill a guided script left for the ticket form. Screens add to it (a caller opened,
a script line said, an article sent); the ticket form reads it. A caller card opened
by hand outside a call sets the caller and nothing else: no phase, no timer.
No Textual here; the clock is injected (unit tests drive it by hand).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agent_console.models.caller import Caller

RINGING, ON_CALL, ACW = "ringing", "on_call", "acw"
IN, OUT = "in", "out"
_local_ids = itertools.count(1)


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
    started: float | None = None  # clock() at answer (or at the ring, before it)
    notes: list[str] = field(default_factory=list[str])
    number: str = ""  # the number the call came from (screen-pop), full
    call_id: int | None = None  # the backend's id of the call
    ticket_prefill: TicketPrefill | None = None
    phase: str | None = None  # None: no call (a card opened by hand is not a call)
    direction: str = IN
    number_masked: str = ""
    caller_name: str = ""  # the name the phone system gave, before the card loads
    call_ref: str = ""  # the phone system's id of the call ("" when simulated)
    local_id: str = ""  # a call the backend has no id for (an outbound call it refused)
    # The new-caller form as the agent left it (Esc) before saving: opened again during
    # this call it comes back as it was; the next call starts blank.
    new_caller: dict[str, str] | None = None
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    @property
    def active(self) -> bool:
        """A call is in progress: ringing, on call or in after-call work."""
        return self.phase is not None

    @property
    def key(self) -> str:
        """What belongs to this call is filed under this (the ticket draft): the call's
        id, else the caller's outside a call, else "" (agent_console/ticket_draft.py's
        call_key() spelling: "call:<id>", "caller:<id>")."""
        if self.active:
            return f"call:{self.call_id if self.call_id is not None else self.local_id}"
        if self.caller is not None:
            return f"caller:{self.caller.id}"
        return ""

    def set_caller(self, caller: Caller) -> None:
        """The caller of the call, or outside a call the caller the agent is dealing with
        (a card opened by hand): that starts no timer and no call."""
        self.caller = caller

    def add_note(self, line: str) -> None:
        line = " ".join(line.split())
        if line and line not in self.notes:
            self.notes.append(line)

    def elapsed(self) -> float | None:
        return None if self.started is None else self.clock() - self.started

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
        self.phase = None
        self.direction = IN
        self.number_masked = ""
        self.caller_name = ""
        self.call_ref = ""
        self.local_id = ""
        self.new_caller = None

    def begin(
        self,
        number: str,
        call_id: int | None = None,
        *,
        phase: str = ON_CALL,
        direction: str = IN,
        number_masked: str = "",
        caller_name: str = "",
        call_ref: str = "",
    ) -> None:
        """A new call: forget the last one, start the timer now."""
        self.clear()
        self.number = number
        self.call_id = call_id
        self.phase = phase
        self.direction = direction
        self.number_masked = number_masked
        self.caller_name = caller_name
        self.call_ref = call_ref
        self.started = self.clock()
        if call_id is None:
            self.local_id = f"local-{next(_local_ids)}"

    def answer(self, at: float | None = None) -> None:
        """The ringing call is taken: on call, the timer from the answer."""
        self.phase = ON_CALL
        self.started = self.clock() if at is None else at

    def shown_number(self) -> str:
        """The number as the strip shows it: masked when the backend masked it."""
        return self.number_masked or self.number
