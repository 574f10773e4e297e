"""Fill the ticket form from what a guided script learned (CallContext.ticket_prefill).

Kept out of the ticket screen: the form calls `apply_ticket_prefill` once on resume.
A field the agent has changed is never overwritten; a field still holding the last
pre-fill (or its default) takes the newer one, so walking on in the guide and coming
back updates the ticket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from agent_console.seat.call import TicketPrefill

if TYPE_CHECKING:
    from agent_console.screens.ticket import TicketScreen

_APPLIED: WeakKeyDictionary[Screen, TicketPrefill] = WeakKeyDictionary()
RETRIES = 50  # x 0.1 s: the category list may still be loading


def apply_ticket_prefill(screen: TicketScreen, prefill: TicketPrefill | None) -> None:
    if prefill is None:
        return
    last = _APPLIED.get(screen, TicketPrefill())
    summary = screen.query_one("#ticket-summary", Input)
    if prefill.summary and summary.value in ("", last.summary):
        summary.value = prefill.summary
    priority = screen.query_one("#ticket-priority", Select)
    if prefill.priority and priority.value in ("normal", last.priority):
        priority.value = prefill.priority
    notes = screen.query_one("#ticket-notes", TextArea)
    missing = [line for line in prefill.notes if line and line not in notes.text]
    if missing:
        notes.text = "\n".join([notes.text, *missing]).strip("\n")
    _APPLIED[screen] = prefill
    if prefill.category:
        _set_category(screen, prefill.category, last.category, RETRIES)


def _set_category(screen: TicketScreen, category: str, previous: str, retries: int) -> None:
    current = screen.category_id
    if current not in ("", previous):
        return  # the agent chose another category: keep it
    if not screen.set_category(category) and retries > 0:
        # The category tree is not loaded yet.
        screen.set_timer(0.1, lambda: _set_category(screen, category, previous, retries - 1))
