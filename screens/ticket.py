"""Ticket entry (F5): keyboard-only form, pre-filled from the call, saved exactly once.

The Idempotency-Key is made when the draft is made, so saving twice (a double
Ctrl+S, a retry after a timeout) can never create two tickets. A value the server
refuses is explained next to its field, and nothing typed is cleared by a failure.
"""

from __future__ import annotations

import uuid
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Category, Station
from agent_console.practice.events import TicketSaved
from screens.base import ConsoleScreen
from screens.keys import bindings_for
from screens.ticket_prefill import apply_ticket_prefill

PRIORITIES = ("normal", "high", "urgent")
SOURCES = ("hotline", "12345", "12319", "mayor", "wechat", "weibo", "app", "walk_in", "email")
FIELDS = ("category", "priority", "source", "summary", "notes", "station_id", "caller_id")


def source_label(source: str) -> str:
    return {
        "hotline": _("Hotline"),
        "12345": _("12345 government hotline"),
        "12319": _("12319 city services hotline"),
        "mayor": _("Mayor's line"),
        "wechat": _("WeChat"),
        "weibo": _("Weibo"),
        "app": _("App"),
        "walk_in": _("Walk-in"),
        "email": _("E-mail"),
    }.get(source, source)


def priority_label(priority: str) -> str:
    return {"normal": _("normal"), "high": _("high"), "urgent": _("URGENT")}.get(priority, priority)


def category_options(roots: list[Category]) -> list[tuple[Text, str]]:
    return [(Text(" › ".join(path)), node.id) for root in roots for path, node in root.walk()]


class TicketScreen(ConsoleScreen):
    CSS_PATH = "ticket.tcss"
    BINDINGS = bindings_for("ticket")
    TYPING_TARGET = "#ticket-summary"
    AUTO_FOCUS = "#ticket-summary"

    def __init__(self) -> None:
        super().__init__()
        self.idempotency_key = str(uuid.uuid4())
        self._categories: list[Category] = []
        self._stations: list[Station] = []
        self._saving = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="ticket-form"):
            yield Static(id="ticket-caller")
            yield Static(classes="field-error", id="err-caller_id")
            yield Label(_("Summary"))
            yield Input(id="ticket-summary", placeholder=_("What the caller needs, in one line"))
            yield Static(classes="field-error", id="err-summary")
            yield Label(_("Category"))
            yield Select[str]([], id="ticket-category", prompt=_("Choose a category"))
            yield Static(classes="field-error", id="err-category")
            with Horizontal(classes="ticket-row"):
                yield Select[str](
                    [(Text(priority_label(p)), p) for p in PRIORITIES],
                    id="ticket-priority",
                    value="normal",
                    allow_blank=False,
                )
                yield Select[str](
                    [(Text(source_label(s)), s) for s in SOURCES],
                    id="ticket-source",
                    value="hotline",
                    allow_blank=False,
                )
                yield Select[str]([], id="ticket-station", prompt=_("Field station (optional)"))
            yield Static(classes="field-error", id="err-priority")
            yield Static(classes="field-error", id="err-source")
            yield Static(classes="field-error", id="err-station_id")
            yield Label(_("Notes"))
            yield TextArea(id="ticket-notes", soft_wrap=True, tab_behavior="focus")
            yield Static(classes="field-error", id="err-notes")
            yield Static(id="ticket-status")

    def on_mount(self) -> None:
        self._clear_errors()
        self._load_choices()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self._prefill()

    def _prefill(self) -> None:
        """Take the caller and the call notes from the call in progress, keeping edits."""
        call = self.app.session.call  # type: ignore[attr-defined]
        caller = call.caller
        label = (
            Content(f"{_('Caller')}: {caller.name} · {caller.phone} · {caller.address}")
            if caller
            else Content(f"{_('Caller')}: {_('none (anonymous ticket)')}")
        )
        self.query_one("#ticket-caller", Static).update(label)
        notes = self.query_one("#ticket-notes", TextArea)
        missing = [line for line in call.notes if line not in notes.text]
        if missing:
            notes.text = "\n".join([notes.text, *missing]).strip("\n")
        # What a guided script learned (issue 4): category, priority, summary, notes.
        apply_ticket_prefill(self, call.take_ticket_prefill())

    @work(exclusive=True, group="ticket-choices", exit_on_error=False)
    async def _load_choices(self) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        try:
            self._categories = await client.categories()
            self._stations = await client.stations()
        except (BackendUnavailable, BackendError) as exc:
            self._status(f"✗ {exc.message}")
            return
        self.query_one("#ticket-category", Select).set_options(category_options(self._categories))
        self.query_one("#ticket-station", Select).set_options(
            [(Text(f"{s.name} ({s.district})"), s.code) for s in self._stations]
        )

    def _status(self, text: str) -> None:
        self.query_one("#ticket-status", Static).update(Content(text))

    def _clear_errors(self) -> None:
        for field in FIELDS:
            error = self.query_one(f"#err-{field}", Static)
            error.update("")
            error.display = False

    def _field_error(self, field: str, message: str) -> None:
        target = field if field in FIELDS else "summary"
        error = self.query_one(f"#err-{target}", Static)
        error.update(Content(f"✗ {message}"))
        error.display = True

    def draft(self) -> dict[str, Any]:
        caller = self.app.session.call.caller  # type: ignore[attr-defined]
        category = self.query_one("#ticket-category", Select).value
        station = self.query_one("#ticket-station", Select).value
        return {
            "caller_id": caller.id if caller else None,
            "category": category if isinstance(category, str) else "",
            "priority": self.query_one("#ticket-priority", Select).value,
            "source": self.query_one("#ticket-source", Select).value,
            "summary": self.query_one("#ticket-summary", Input).value.strip(),
            "notes": self.query_one("#ticket-notes", TextArea).text,
            "station_id": station if isinstance(station, str) else "",
            "area": "practice" if self.app.session.practice else "production",  # type: ignore[attr-defined]
        }

    def action_save(self) -> None:
        if self._saving:
            return
        self._clear_errors()
        data = self.draft()
        missing = False
        if not data["summary"]:
            self._field_error("summary", _("Say in one line what the caller needs."))
            missing = True
        if not data["category"]:
            self._field_error("category", _("Choose a category."))
            missing = True
        if missing:
            return
        self._saving = True
        self._status(_("saving…"))
        self._save(data, self.idempotency_key)

    @work(exclusive=True, group="ticket-save", exit_on_error=False)
    async def _save(self, data: dict[str, Any], key: str) -> None:
        try:
            ticket = await self.app.client.create_ticket(data, key)  # type: ignore[attr-defined]
        except BackendUnavailable as exc:
            self._status(
                "✗ "
                + _(
                    "Backend unreachable; the ticket is kept here. Save again "
                    "when the status bar says online."
                )
                + f" ({exc.message})"
            )
            return
        except BackendError as exc:
            for field, message in exc.fields.items():
                self._field_error(field, message)
            if exc.status == 403:  # e.g. a trainee's token writing to production
                refused = _("Refused by the backend (403): {why}").format(why=exc.message)
                self._status(f"⛔ {refused}")
                self.notify(refused, title=_("Not saved"), severity="error", markup=False)
            else:
                self._status(f"✗ {exc.message}")
            return
        finally:
            self._saving = False
        self.app.record(  # type: ignore[attr-defined]
            TicketSaved(
                data["category"],
                data["station_id"],
                data["priority"],
                data["source"],
                data["summary"],
            )
        )
        self.notify(_("Ticket {id} saved").format(id=ticket.id), markup=False)
        self._reset()
        self._status(_("Ticket {id} saved ({status}).").format(id=ticket.id, status=ticket.status))

    def _reset(self) -> None:
        self.idempotency_key = str(uuid.uuid4())
        self.query_one("#ticket-summary", Input).value = ""
        self.query_one("#ticket-notes", TextArea).text = ""
        self.query_one("#ticket-category", Select).clear()
        self.query_one("#ticket-station", Select).clear()
        self.query_one("#ticket-priority", Select).value = "normal"
        self.query_one("#ticket-source", Select).value = "hotline"
        self._clear_errors()

    def action_discard(self) -> None:
        self._reset()
        self._status(_("New blank ticket."))
