"""The caller card: who is calling, whether we serve them, what is still open for them.

A caller in a compound the company does not serve is told so at once: the warning
is the first thing under the name. Phone and ID number arrive masked; the unmask
key asks the backend for them in full, and the backend writes that to its audit
log. The card forgets them when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _, language
from agent_console.models import Caller, Ticket, Unmasked
from agent_console.practice.engine_io import ScreenOpened, SmsSent
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.timefmt import local

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


def _status_label(status: str) -> str:
    return {
        "new": _("new"),
        "dispatched": _("dispatched"),
        "in_progress": _("in progress"),
        "resolved": _("resolved"),
        "called_back": _("called back"),
        "closed": _("closed"),
    }.get(status, status)


def _account_label(status: str) -> str:
    return {
        "active": _("active"),
        "arrears": _("ARREARS"),
        "suspended": _("SUSPENDED"),
    }.get(status, status)


def _language_label(language: str) -> str:
    return {"zh": _("Chinese"), "en": _("English")}.get(language, language)


class CallerCardScreen(ConsoleScreen):
    CSS_PATH = "caller_card.tcss"
    BINDINGS = bindings_for("card")

    def __init__(self, caller: Caller, *, loaded: bool = False) -> None:
        """`loaded`: `caller` is already the full card (screen-pop fetched it)."""
        super().__init__()
        self.caller = caller
        self.unmasked: Unmasked | None = None
        self._loaded = loaded

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="card-body"):
            yield Static(id="card-name")
            yield Static(id="card-served")
            with Vertical(id="card-facts"):
                yield Static(id="card-identity")
                yield Static(id="card-address")
                yield Static(id="card-notes")
                yield Static(id="card-unmask-note")
            yield Static(classes="card-heading", id="card-followups-heading")
            followups: DataTable[Text] = DataTable(id="card-followups", cursor_type="row")
            followups.can_focus = False
            yield followups
            yield Static(Content(_("Recent tickets")), classes="card-heading")
            tickets: DataTable[Text] = DataTable(id="card-tickets", cursor_type="row")
            tickets.can_focus = False
            yield tickets

    def on_mount(self) -> None:
        self.console.record(ScreenOpened("card"))
        self.query_one("#card-followups", DataTable).add_columns(
            _("No."), _("Stage"), _("Callback due"), _("Category"), _("Summary")
        )
        self.query_one("#card-tickets", DataTable).add_columns(
            _("No."), _("Created"), _("Category"), _("Stage"), _("Summary")
        )
        self.console.session.call.set_caller(self.caller)
        # The call timer shows at once, not on the status bar's next 1 s tick (the
        # layout snapshot of the card caught it either way).
        self.console.publish_status()
        self.show_caller(self.caller)
        if not self._loaded:
            self._load()

    def relabel(self, switch: Switch) -> None:
        """The language changed: the card's lines are templates, so draw them again."""
        super().relabel(switch)
        self.show_caller(self.caller)

    def show_caller(self, c: Caller) -> None:
        phone = self.unmasked.phone if self.unmasked else c.phone
        id_number = self.unmasked.id_number if self.unmasked else c.id_number
        self.query_one("#card-name", Static).update(Content(f"{c.name}  ·  {phone}"))
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
            f"{_('Account')}: {c.account_no or '—'}   "
            f"{_('Status')}: {_account_label(c.account_status)}   "
            f"{_('Language')}: {_language_label(c.language)}",
            f"{_('ID')}: {id_number or '—'}   {_('Customer since')}: {c.customer_since or '—'}",
        ]
        self.query_one("#card-identity", Static).update(Content("\n".join(facts)))
        self.query_one("#card-address", Static).update(
            Content(f"{_('Address')}: {c.address or '—'}   {_('Compound')}: {c.compound or '—'}")
        )
        self.query_one("#card-notes", Static).update(
            Content(f"{_('Notes')}: {c.notes}") if c.notes else Content("")
        )
        self._show_unmask_note()
        self._fill_followups(c.open_followups)
        table = self.query_one("#card-tickets", DataTable)
        table.clear()
        for t in c.recent_tickets:
            table.add_row(
                Text(str(t.id)),
                Text(local(t.created_at)),
                Text(t.category_label(language())),
                Text(_status_label(t.status)),
                Text(t.summary),
            )

    def _fill_followups(self, tickets: tuple[Ticket, ...]) -> None:
        table = self.query_one("#card-followups", DataTable)
        table.clear()
        table.display = bool(tickets)
        for t in tickets:
            table.add_row(
                Text(str(t.id)),
                Text(_status_label(t.status)),
                Text(local(t.callback_due) if t.callback_due else "—"),
                Text(t.category_label(language())),
                Text(t.summary),
            )
        self.query_one("#card-followups-heading", Static).update(
            Content(_("Open follow-ups: {n}").format(n=len(tickets)))
            if tickets
            else Content(_("Open follow-ups: none"))
        )

    def _show_unmask_note(self) -> None:
        note = self.query_one("#card-unmask-note", Static)
        if self.unmasked:
            text = _("Full phone and ID shown; this was written to the audit log.")
        else:
            key = self.key_of("card.unmask")
            text = _("Phone and ID masked · {key}: show in full (audited)").format(key=key)
        note.update(Content(text))
        note.set_class(self.unmasked is not None, "-unmasked")

    @work(exclusive=True, group="card-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            caller = await self.console.client.get_caller(self.caller.id)
        except (BackendUnavailable, BackendError) as exc:
            self.notify(exc.message, title=_("Caller card"), severity="warning", markup=False)
            return
        self.caller = caller
        self.console.session.call.set_caller(caller)
        self.show_caller(caller)

    def action_unmask(self) -> None:
        """Show phone and ID in full (asked of the backend, which audits it); again: mask."""
        if self.unmasked is not None:
            self.unmasked = None
            self.show_caller(self.caller)
            return
        self._unmask()

    @work(exclusive=True, group="card-unmask", exit_on_error=False)
    async def _unmask(self) -> None:
        try:
            self.unmasked = await self.console.client.unmask_caller(self.caller.id)
        except (BackendUnavailable, BackendError) as exc:
            self.notify(exc.message, title=_("Unmask"), severity="warning", markup=False)
            return
        self.show_caller(self.caller)

    def action_sms(self) -> None:
        """Text the caller their payment account number (a caller who forgot it)."""
        if not self.caller.account_no:
            self._show_sms(_("No account number on record to send."), ok=False)
            return
        self._show_sms(_("sending SMS…"), ok=True)
        self._send_account()

    def _show_sms(self, text: str, ok: bool) -> None:
        note = self.query_one("#card-unmask-note", Static)
        note.update(Content(("" if ok else "✗ ") + text))

    @work(exclusive=True, group="card-sms", exit_on_error=False)
    async def _send_account(self) -> None:
        app, c = self.console, self.caller
        text = _("Your payment account number: {account} ({name})").format(
            account=c.account_no, name=c.name
        )
        try:
            sms = await app.client.send_sms(
                text,
                caller_id=c.id,
                kind="account",
                ref=c.account_no,
                practice=app.session.practice,
            )
        except (BackendUnavailable, BackendError) as exc:
            self._show_sms(_("SMS not sent: {why}").format(why=exc.message), ok=False)
            return
        app.session.call.add_note(_("SMS to {to}: {text}").format(to=sms.to, text=text))
        app.record(SmsSent("account", c.account_no, text))
        self._show_sms("✓ " + _("Account number sent by SMS to {to}.").format(to=sms.to), ok=True)

    def action_back(self) -> None:
        self.dismiss()
