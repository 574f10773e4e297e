"""The caller card: who is calling, whether we serve them, what they called about before.

A caller in a compound the company does not serve is told so at once: the warning
is the first thing under the name.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Caller
from agent_console.timefmt import local
from screens.base import ConsoleScreen
from screens.keys import bindings_for


def _status_label(status: str) -> str:
    return {
        "new": _("new"),
        "dispatched": _("dispatched"),
        "in_progress": _("in progress"),
        "resolved": _("resolved"),
        "called_back": _("called back"),
        "closed": _("closed"),
    }.get(status, status)


class CallerCardScreen(ConsoleScreen):
    CSS_PATH = "caller_card.tcss"
    BINDINGS = bindings_for("card")

    def __init__(self, caller: Caller) -> None:
        super().__init__()
        self.caller = caller

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="card-body"):
            yield Static(id="card-name")
            yield Static(id="card-served")
            with Vertical(id="card-facts"):
                yield Static(id="card-identity")
                yield Static(id="card-address")
                yield Static(id="card-notes")
            yield Static(Content(_("Recent tickets")), classes="card-heading")
            tickets: DataTable[Text] = DataTable(id="card-tickets", cursor_type="row")
            tickets.can_focus = False
            yield tickets

    def on_mount(self) -> None:
        table = self.query_one("#card-tickets", DataTable)
        for label in (_("No."), _("Created"), _("Category"), _("Stage"), _("Summary")):
            table.add_column(label)
        self.app.session.call.set_caller(self.caller)  # type: ignore[attr-defined]
        self._render_caller(self.caller)
        self._load()

    def _render_caller(self, c: Caller) -> None:
        self.query_one("#card-name", Static).update(Content(f"{c.name}  ·  {c.phone}"))
        served = self.query_one("#card-served", Static)
        if c.served is False:
            served.update(
                Content(
                    "✗ "
                    + _(
                        "NOT SERVED: compound {compound} is outside our service area. Explain the "
                        "common causes and tell the caller whom to call."
                    ).format(compound=c.compound or "?")
                )
            )
        elif c.served:
            served.update(
                Content("✓ " + _("Served · station {station}").format(station=c.station or "?"))
            )
        else:
            served.update(Content("? " + _("Service area unknown (no compound on record)")))
        served.set_class(c.served is False, "-unserved")
        facts = [
            f"{_('Account')}: {c.account_no or '—'}   {_('Status')}: {c.account_status}",
            f"{_('ID')}: {c.id_number or '—'}   {_('Language')}: {c.language}"
            f"   {_('Customer since')}: {c.customer_since or '—'}",
        ]
        self.query_one("#card-identity", Static).update(Content("\n".join(facts)))
        self.query_one("#card-address", Static).update(
            Content(f"{_('Address')}: {c.address or '—'}   {_('Compound')}: {c.compound or '—'}")
        )
        self.query_one("#card-notes", Static).update(
            Content(f"{_('Notes')}: {c.notes}") if c.notes else Content("")
        )
        table = self.query_one("#card-tickets", DataTable)
        table.clear()
        for t in c.recent_tickets:
            table.add_row(
                Text(str(t.id)),
                Text(local(t.created_at)),
                Text(t.category),
                Text(_status_label(t.status)),
                Text(t.summary),
            )

    @work(exclusive=True, group="card-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            caller = await self.app.client.get_caller(self.caller.id)  # type: ignore[attr-defined]
        except (BackendUnavailable, BackendError) as exc:
            self.notify(exc.message, title=_("Caller card"), severity="warning", markup=False)
            return
        self.caller = caller
        self.app.session.call.set_caller(caller)  # type: ignore[attr-defined]
        self._render_caller(caller)

    def action_back(self) -> None:
        self.dismiss()
