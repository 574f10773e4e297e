"""The ticket form's messages: a refusal next to its field, and the status line under
the form, which may speak of the ticket just saved (then it goes when the next ticket
gets its first word, or another call's form shows). Both the form and its saving
(screens/ticket_save_io.py) say things here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from agent_console.screens.ticket import TicketScreen

#: The fields a refusal can name; a refusal of any other field shows under the summary.
FIELDS = (
    "category",
    "priority",
    "source",
    "summary",
    "notes",
    "station_id",
    "caller_id",
    "callback_due",
)


class TicketMessages:
    def __init__(self, form: TicketScreen) -> None:
        self.form = form
        self.about_last = False  # the status line speaks of the ticket just saved
        self.call = ""  # the call it was said during

    def status(self, text: str, *, until_next: bool = False) -> None:
        """The line under the form; `until_next`: it is about the ticket just saved or
        kept, and leaves as soon as the next ticket gets its first word."""
        self.about_last = until_next
        self.call = self.form.console.session.call.key
        self.form.query_one("#ticket-status", Static).update(Content(text))

    def next_ticket(self, call: str | None = None) -> None:
        """The next ticket began (a word typed; or `call`'s form shows): a line about
        the last ticket goes."""
        if self.about_last and (call is None or call != self.call):
            self.status("")

    def clear_errors(self) -> None:
        for field in FIELDS:
            error = self.form.query_one(f"#err-{field}", Static)
            error.update("")
            error.display = False

    def field_error(self, field: str, message: str) -> None:
        target = field if field in FIELDS else "summary"
        error = self.form.query_one(f"#err-{target}", Static)
        error.update(Content(f"✗ {message}"))
        error.display = True
