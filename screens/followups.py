"""My follow-ups (F7): the callbacks I owe, overdue first in due order, one key to open.

Overdue is said in words ("OVERDUE 25 min"), not colour alone; each row names the
caller to call back (name, masked number). Enter opens the ticket
(screens/ticket_detail.py) with its history, a call note, the callback result and
the caller's satisfaction. A ticket that moves meanwhile (a field station takes it in
hand, resolves it) redraws the list by itself, the cursor staying on its ticket.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.due_time import describe_due
from agent_console.i18n import _
from agent_console.models import LoopTicket
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.ticket_form import local_time

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


def status_label(status: str) -> str:
    return {
        "new": _("new"),
        "dispatched": _("dispatched"),
        "in_progress": _("in progress"),
        "resolved": _("resolved: call back"),
        "called_back": _("called back: close"),
        "closed": _("closed"),
    }.get(status, status)


def due_cell(item: LoopTicket, now: datetime) -> Text:
    due = local_time(item.ticket.callback_due)
    if due is None:
        return Text("")
    text = describe_due(due, now)
    return Text(("⚠ " + _("OVERDUE") + " " if item.overdue else "") + text)


class FollowUpsScreen(ConsoleScreen):
    CSS_PATH = "followups.tcss"
    BINDINGS = bindings_for("followups")
    TYPING_TARGET = "#followups-table"

    def __init__(self) -> None:
        super().__init__()
        self.items: list[LoopTicket] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="followups-summary")
        table: DataTable[Text] = DataTable(id="followups-table", cursor_type="row")
        table.add_columns(_("Callback due"), _("Ticket"), _("Stage"), _("Caller"), _("Summary"))
        yield table

    def on_mount(self) -> None:
        self.app.event_stream.ticket_moved.subscribe(self, self._ticket_moved)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.action_reload()

    def _ticket_moved(self, _ticket_id: int) -> None:
        if self.is_current:  # a screen out of sight reloads when it comes back
            self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(exclusive=True, group="followups", exit_on_error=False)
    async def _load(self) -> None:
        try:
            items = await self.app.client.followups()  # type: ignore[attr-defined]
        except (BackendUnavailable, BackendError) as exc:
            self._summary(f"✗ {exc.message}")
            return
        self.show(items)

    def show(self, items: list[LoopTicket]) -> None:
        now = datetime.now()
        table = self.query_one("#followups-table", DataTable)
        row = table.cursor_row
        # A list redrawn under the agent's hands keeps the cursor on the same ticket.
        was = self.items[row].ticket.id if 0 <= row < len(self.items) else None
        self.items = items
        table.clear()
        for item in items:
            t = item.ticket
            table.add_row(
                due_cell(item, now),
                Text(f"#{t.id}"),
                Text(status_label(t.status)),
                Text(item.caller_line() or "–"),  # who to call back: name, masked number
                Text(t.summary),
                key=str(t.id),
            )
        if items:
            ids = [i.ticket.id for i in items]
            table.move_cursor(row=ids.index(was) if was in ids else min(row, len(items) - 1))
        overdue = sum(1 for i in items if i.overdue)
        self._summary(
            _("{n} callback(s) owed, {overdue} overdue. Enter opens a ticket.").format(
                n=len(items), overdue=overdue
            )
            if items
            else _("No callbacks owed. Tickets with a callback time appear here.")
        )

    def relabel(self, switch: Switch) -> None:
        """The language changed: stages, due times and the summary are templates."""
        super().relabel(switch)
        if self.items:
            self.show(self.items)

    def _summary(self, text: str) -> None:
        self.query_one("#followups-summary", Static).update(Content(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row (the table's own Enter binding)
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#followups-table", DataTable)
        if not self.items:
            return
        item = self.items[min(table.cursor_row, len(self.items) - 1)]
        from agent_console.screens.ticket_detail import TicketDetailScreen

        self.app.push_screen(TicketDetailScreen(item.ticket.id))

    def action_call_back(self) -> None:
        """Call the ticket's caller back now: an outbound call (recorded by the backend
        as a callback attempt) and its caller card."""
        if not self.items:
            return
        table = self.query_one("#followups-table", DataTable)
        ticket = self.items[min(table.cursor_row, len(self.items) - 1)].ticket
        if ticket.caller_id is None:
            self.notify(_("This ticket has no caller to call back."), markup=False)
        elif self.app.seat.core.call.active:  # type: ignore[attr-defined]
            self.notify(_("Finish the current call first (wrap-up)."), markup=False)
        else:
            self._call_back(ticket.caller_id, ticket.id)

    @work(exclusive=True, group="followups-call", exit_on_error=False)
    async def _call_back(self, caller_id: int, ticket_id: int) -> None:
        from agent_console.screens.call_back import call_back

        await call_back(self.app, caller_id, ticket_id)  # type: ignore[arg-type]
