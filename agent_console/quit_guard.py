"""Whether Ctrl+Q should ask first: quitting during a call, or with a ticket or a new
caller's details typed and not yet saved, loses something; quitting an idle seat loses
nothing.

Signals never ask (agent_console/seat_exit.py): a terminal that closed has nobody to
answer. No Textual here: the screens show the question, this decides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_console.agent_state import ACW, ON_CALL
from agent_console.seat.call import CallContext


@dataclass(frozen=True)
class QuitRisk:
    """What quitting now would leave behind (any of it means: ask)."""

    on_call: bool = False
    caller_name: str = ""  # untrusted text, shown as text
    caller_phone: str = ""  # masked, as on the card
    unsaved_ticket: bool = False
    unsaved_caller: bool = False  # a new caller's details typed, not saved

    def __bool__(self) -> bool:
        return self.on_call or self.unsaved_ticket or self.unsaved_caller


def quit_risk(
    call: CallContext, seat_state: str, ticket_has_text: bool, caller_form_has_text: bool = False
) -> QuitRisk:
    """A call is one the console knows of (a caller or number on it) or the seat's
    state says so (on a call, after-call work)."""
    on_call = call.caller is not None or bool(call.number) or seat_state in (ON_CALL, ACW)
    caller = call.caller
    return QuitRisk(
        on_call=on_call,
        caller_name=caller.name if caller else "",
        caller_phone=caller.phone if caller else "",
        unsaved_ticket=ticket_has_text,
        unsaved_caller=caller_form_has_text or call.new_caller is not None,
    )
