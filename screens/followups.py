"""My follow-ups (F7): the callbacks I owe, overdue first in due order, one key to open;
under them the caller log, the calls nobody answered, one key to call back.

Overdue is said in words ("OVERDUE 25 min"), not colour alone; each row names the
caller to call back (name, masked number). Enter opens the ticket
(screens/ticket_detail.py) with its history, a call note, the callback result and
the caller's satisfaction. A ticket that moves meanwhile (a field station takes it in
hand, resolves it) redraws the list by itself, the cursor staying on its ticket.

The caller log (agent_console/caller_log.py) lists the missed calls of the agent's
hotline, newest first, and reloads when a call that rang here ends unanswered. Enter
or the call-back key on a missed call calls the number back (screens/call_back.py):
the card, or the new-caller form for a number nobody knows.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console import caller_log
from agent_console.client import BackendError, BackendUnavailable
from agent_console.due_time import describe_due
from agent_console.i18n import _, ngettext
from agent_console.models import LoopTicket, MissedCall
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
        self.missed: list[MissedCall] = []
        self.missed_error = ""  # why the caller log could not be read, shown instead

    def compose_body(self) -> ComposeResult:
        yield Static(id="followups-summary")
        table: DataTable[Text] = DataTable(id="followups-table", cursor_type="row")
        table.add_columns(_("Callback due"), _("Ticket"), _("Stage"), _("Caller"), _("Summary"))
        yield table
        yield Static(id="missed-summary")
        log: DataTable[Text] = DataTable(id="missed-table", cursor_type="row")
        log.add_columns(_("Rang"), _("Caller"), _("Number"), _("Queue"), _("Called back"))
        yield log

    def on_mount(self) -> None:
        stream = self.console.event_stream
        stream.ticket_moved.subscribe(self, self._ticket_moved)
        stream.call_missed.subscribe(self, self._call_missed)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self._load()
        # Back on the screen the caller log starts at the newest call: a cursor kept on
        # the call it was on last time sat on an older call when one was missed
        # meanwhile, and Enter called back the wrong number.
        self._load_missed(keep=False)

    def _ticket_moved(self, _ticket_id: int) -> None:
        if self.is_current:  # a screen out of sight reloads when it comes back
            self.action_reload()

    def _call_missed(self, _call_id: int) -> None:
        if self.is_current:
            self._load_missed()

    def action_reload(self) -> None:
        self._load()
        self._load_missed()

    @work(exclusive=True, group="caller-log", exit_on_error=False)
    async def _load_missed(self, keep: bool = True) -> None:
        """The caller log again; `keep`: the cursor stays on its call (else the top)."""
        try:
            calls = await self.console.client.missed_calls()
        except (BackendUnavailable, BackendError) as exc:
            forbidden = isinstance(exc, BackendError) and exc.status == 403
            # A trainee or a station takes no calls: no log of them, and no error either.
            self.missed_error = (
                _("Missed calls are for those who take calls.")
                if forbidden
                else f"✗ {exc.message}"  # the backend's words: plain text (Content)
            )
            self.show_missed(self.missed)
            return
        self.missed_error = ""
        self.show_missed(calls, keep)

    def show_missed(self, calls: list[MissedCall], keep: bool = True) -> None:
        """The caller log, newest first; the cursor stays on its call across reloads
        (`keep`), else it starts on the newest."""
        now = datetime.now()
        table = self.query_one("#missed-table", DataTable)
        at = table.cursor_row if keep else 0
        was = self.missed[at].call_id if keep and 0 <= at < len(self.missed) else None
        self.missed = caller_log.newest_first(calls)
        table.clear()
        for call in self.missed:
            row = caller_log.row(call, now)
            cells = (row.when, row.who, row.number, row.queue, row.called_back)
            table.add_row(*(Text(cell) for cell in cells), key=str(call.call_id))
        if self.missed:
            ids = [c.call_id for c in self.missed]
            table.move_cursor(row=ids.index(was) if was in ids else min(at, len(ids) - 1))
        text = caller_log.summary(self.missed)
        if self.missed:
            key = self.key_of("followups.call_back")
            text = _("{summary} Enter or {key} calls back.").format(summary=text, key=key)
        if self.missed_error:
            text = self.missed_error
        self.query_one("#missed-summary", Static).update(Content(text))

    @work(exclusive=True, group="followups", exit_on_error=False)
    async def _load(self) -> None:
        try:
            items = await self.console.client.followups()
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
            ngettext(
                "{n} callback owed, {overdue} overdue. Enter opens its ticket.",
                "{n} callbacks owed, {overdue} overdue. Enter opens a ticket.",
                len(items),
            ).format(n=len(items), overdue=overdue)
            if items
            else _("No callbacks owed. Tickets with a callback time appear here.")
        )

    def relabel(self, switch: Switch) -> None:
        """The language changed: stages, due times and the summary are templates."""
        super().relabel(switch)
        if self.items:
            self.show(self.items)
        else:  # a table's header is drawn from a cache that only new rows clear
            self.query_one("#followups-table", DataTable).clear()
        self.show_missed(self.missed)

    def _summary(self, text: str) -> None:
        self.query_one("#followups-summary", Static).update(Content(text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row (the table's own Enter binding)
        if event.data_table.id == "missed-table":
            self.action_call_back()
        else:
            self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#followups-table", DataTable)
        if not self.items:
            return
        item = self.items[min(table.cursor_row, len(self.items) - 1)]
        from agent_console.screens.ticket_detail import TicketDetailScreen

        self.app.push_screen(TicketDetailScreen(item.ticket.id))

    def action_call_back(self) -> None:
        """Call the ticket's caller back now, or the missed call under the cursor of the
        caller log: an outbound call (recorded by the backend as a callback attempt)
        and the caller's card."""
        if not self.items or self.focused is self.query_one("#missed-table", DataTable):
            self._call_back_missed()  # no follow-ups: the key is for the caller log
            return
        table = self.query_one("#followups-table", DataTable)
        ticket = self.items[min(table.cursor_row, len(self.items) - 1)].ticket
        if ticket.caller_id is None:
            self.notify(_("This ticket has no caller to call back."), markup=False)
        elif self.console.seat.core.call.active:
            self.notify(_("Finish the current call first (wrap-up)."), markup=False)
        else:
            self._call_back(ticket.caller_id, ticket.id)

    def _call_back_missed(self) -> None:
        if not self.missed:
            return
        table = self.query_one("#missed-table", DataTable)
        call = self.missed[min(table.cursor_row, len(self.missed) - 1)]
        if not caller_log.can_call_back(call):
            self.notify(_("This number was withheld: it cannot be called back."), markup=False)
        elif self.console.seat.core.call.active:
            self.notify(_("Finish the current call first (wrap-up)."), markup=False)
        else:
            self._call_back(call.caller_id, None, call.call_id)

    @work(exclusive=True, group="followups-call", exit_on_error=False)
    async def _call_back(
        self, caller_id: int | None, ticket_id: int | None, missed_call_id: int | None = None
    ) -> None:
        from agent_console.screens.call_back import call_back

        await call_back(self.console, caller_id, ticket_id, missed_call_id=missed_call_id)
