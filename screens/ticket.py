"""Ticket entry (F5): keyboard-only form, pre-filled from the call, saved exactly once.

The Idempotency-Key is made when the draft is made, so a retry after a timeout can
never create two tickets. Ctrl+S hands the ticket over (on disk, with its key, before
it is sent) and the form goes on with a new key; saves run one after the other, so a
Ctrl+S during a slow save is queued, and a finished save clears the form only if the
agent has not typed into it since (agent_console/ticket_saving.py). A value the server
refuses is explained next to its field, and nothing typed is cleared by a failure.
The draft is written to disk as the agent types (screens/ticket_draft_io.py), so a
screen switch, a crash or a restart loses nothing. Decisions that are not drawing
(flags, station suggestion, validation) live in agent_console/ticket_form.py.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from agent_console.client import BackendError, BackendUnavailable
from agent_console.due_time import HELP
from agent_console.i18n import _
from agent_console.models import Caller, Category, Station
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.confirm import ConfirmScreen
from agent_console.screens.keys import bindings_for
from agent_console.screens.ticket_draft_io import DraftKeeper
from agent_console.screens.ticket_messages import TicketMessages
from agent_console.screens.ticket_prefill import apply_ticket_prefill
from agent_console.screens.ticket_save_io import TicketSaver
from agent_console.screens.widgets.category_picker import CategoryPicker
from agent_console.screens.widgets.fit_input import FitInput
from agent_console.ticket_draft import new_key
from agent_console.ticket_form import (
    PRIORITIES,
    SOURCES,
    caller_line,
    care_flags,
    due_preview,
    priority_label,
    source_label,
    station_hint,
    suggest_station,
)

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


class TicketScreen(ConsoleScreen):
    CSS_PATH = "ticket.tcss"
    BINDINGS = bindings_for("ticket")
    TYPING_TARGET = "#ticket-summary"
    AUTO_FOCUS = "#ticket-summary"

    def __init__(self) -> None:
        super().__init__()
        self.idempotency_key = new_key()
        self._categories: list[Category] = []
        self._stations: list[Station] = []
        self.choices_loaded = False
        self.draft_caller: Caller | None = None  # the caller of a restored draft
        # Ctrl+N during a call: this form no longer takes the call's caller and notes
        # (the call's key and caller id then); a new call's key brings them back.
        self.blank_for: tuple[str, int] | None = None
        self.suggested_station = ""
        self.messages = TicketMessages(self)
        self.drafts = DraftKeeper(self)
        self.saver = TicketSaver(self)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="ticket-form"):
            yield Static(id="ticket-caller")
            yield Static(id="ticket-flags")
            yield Static(classes="field-error", id="err-caller_id")
            yield Label(_("Summary"))
            yield Input(id="ticket-summary", placeholder=_("What the caller needs, in one line"))
            yield Static(classes="field-error", id="err-summary")
            yield CategoryPicker(id="ticket-category-picker")
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
            yield Static(id="ticket-station-hint")
            yield Static(classes="field-error", id="err-priority")
            yield Static(classes="field-error", id="err-source")
            yield Static(classes="field-error", id="err-station_id")
            with Horizontal(classes="ticket-row"):
                yield FitInput(
                    id="ticket-due", placeholder=_("Callback due: {examples}").format(examples=HELP)
                )
                yield Static(id="ticket-due-parsed")
            yield Static(classes="field-error", id="err-callback_due")
            yield Label(_("Notes"))
            yield TextArea(id="ticket-notes", soft_wrap=True, tab_behavior="focus")
            yield Static(classes="field-error", id="err-notes")
            yield Static(id="ticket-status")

    def on_mount(self) -> None:
        self.messages.clear_errors()
        self.console.outbox.on_sent.append(self.saver.kept_sent)
        self.console.status_signal.subscribe(self, self._status_changed)
        self.console.seat.closed.subscribe(self, self._call_closed)
        self._load_choices()

    def _status_changed(self, _session: object) -> None:
        """Signed in (or another agent signed in) while the form shows: their draft."""
        if self.is_current:
            self.drafts.sync()

    def on_unmount(self) -> None:
        with contextlib.suppress(ValueError):
            self.console.outbox.on_sent.remove(self.saver.kept_sent)

    def take_typing(self, select: bool = False) -> None:
        super().take_typing(select)
        # Focusing the summary scrolls the form just far enough to show the box; on a
        # 24-line seat that hid the caller line and the label above it.
        self.query_one("#ticket-form", VerticalScroll).scroll_home(animate=False)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.drafts.sync()  # the signed-in agent's draft for this call, never before
        if not self.choices_loaded:
            self._load_choices()
        self._prefill()

    def on_screen_suspend(self) -> None:
        self.drafts.flush()  # leaving the form: what was typed is on disk now

    def has_unsaved_text(self) -> bool:
        """Words in the form not yet saved: Ctrl+Q asks before they go out of sight."""
        summary = self.query_one("#ticket-summary", Input).value
        return bool(summary.strip() or self.query_one("#ticket-notes", TextArea).text.strip())

    # -- the caller, flags, suggestions ----------------------------------------------
    def _call_caller(self) -> Caller | None:
        """The caller of the call (or of the card opened by hand), unless Ctrl+N made
        this form blank for them."""
        call = self.console.session.call
        caller: Caller | None = call.caller
        if caller is not None and self.blank_for == (call.key, caller.id):
            return None
        return caller

    def caller(self) -> Caller | None:
        live = self._call_caller()
        if live is not None:
            # The form keeps its call's caller past the call's end: the wrap-up's
            # question, and a save after it, are about this caller's ticket.
            self.draft_caller = live
        return live or self.draft_caller

    def _call_closed(self, key: str) -> None:
        """The call was wrapped up: its ticket goes with it, and the next call starts on
        a blank form. A ticket typed for it and not saved is not dropped in silence:
        the agent is asked to save it now or discard it."""
        self.blank_for = None
        if self.close_call_draft(key):
            self._reset(discard=False)
            self.messages.status("")
            return
        summary = self.query_one("#ticket-summary", Input).value
        caller = self.caller()
        who = Content(f"{caller.name} · {caller.phone}" if caller else _("none (anonymous ticket)"))

        def answered(save: bool | None) -> None:
            if save:
                self.console.call_later(self.console.action_open_screen, "ticket")
                self.saver.save()  # the form shows what is saved, and any refusal
                return
            self.close_call_draft(key, discard=True)
            self._reset(discard=False)
            self.messages.status(_("The ended call's ticket was discarded."))

        self.app.push_screen(
            ConfirmScreen(
                _("The ticket for the call just ended is not saved"),
                [who],
                summary,
                yes=_("save it now"),
                no=_("discard it"),
            ),
            answered,
        )

    def _prefill(self) -> None:
        """Take the caller and the call notes from the call in progress, keeping edits."""
        call = self.console.session.call
        self.messages.next_ticket(call.key)
        self.show_caller_line()
        if self.blank_for is not None and self.blank_for[0] == call.key:
            self._show_flags()
            return  # a new blank ticket: not this call's notes either
        notes = self.query_one("#ticket-notes", TextArea)
        missing = [line for line in call.notes if line not in notes.text]
        if missing:
            notes.text = "\n".join([notes.text, *missing]).strip("\n")
        # What a guided script learned (issue 4): category, priority, summary, notes.
        apply_ticket_prefill(self, call.take_ticket_prefill())
        self._show_flags()
        self._suggest_station()

    def show_caller_line(self) -> None:
        self.query_one("#ticket-caller", Static).update(Content(caller_line(self.caller())))

    def relabel(self, switch: Switch) -> None:
        """The language changed: the caller line and the care flags are templates."""
        super().relabel(switch)
        self.show_caller_line()
        self._show_flags()
        due = self.query_one("#ticket-due", Input)
        due.placeholder = _("Callback due: {examples}").format(examples=HELP)
        self.show_due(due.value)  # "→ Mon 09:00 (in 14 h)" in the new language
        if self.suggested_station:
            self._suggest_station()

    def _show_flags(self) -> None:
        flags = care_flags(str(self.query_one("#ticket-source", Select).value), self.caller())
        widget = self.query_one("#ticket-flags", Static)
        widget.update(Content("\n".join(f"⚠ {f}" for f in flags)))
        widget.display = bool(flags)

    def _suggest_station(self) -> None:
        hint = self.query_one("#ticket-station-hint", Static)
        suggestion = suggest_station(self.caller(), self._stations)
        if suggestion is None:
            hint.update("")
            hint.display = False
            return
        code, why = suggestion
        names = {s.code: s.name for s in self._stations}
        select = self.query_one("#ticket-station", Select)
        if select.is_blank() or select.value == self.suggested_station:
            with self.prevent(Select.Changed):
                select.value = code
        self.suggested_station = code
        chosen = select.value
        other = names.get(chosen, chosen) if chosen != code and isinstance(chosen, str) else None
        hint.update(Content(station_hint(names[code], why, other)))
        hint.display = True

    @work(exclusive=True, group="ticket-choices", exit_on_error=False)
    async def _load_choices(self) -> None:
        """Each list goes into its field as it arrives: a backend lost between the two
        requests leaves the categories pickable (the ticket is kept in the outbox, and
        Ctrl+S wants a category, not a station)."""
        client = self.console.client
        try:
            if not self.category_loaded():
                self._categories = await client.categories()
                self.query_one(CategoryPicker).load(self._categories)
                self.drafts.restore_choices()  # the draft's category, without the stations
            self._stations = await client.stations()
        except (BackendUnavailable, BackendError) as exc:
            self.messages.status(f"✗ {exc.message}")
            # Started while the backend was down: try again until the choices are in,
            # so Ctrl+S never waits on a console restart (issue 20, item 3).
            self.set_timer(self.console.settings.backend.health_interval, self._load_choices)
            return
        if not self.choices_loaded:
            self.messages.status("")
        self.choices_loaded = True
        with self.prevent(Select.Changed):
            self.query_one("#ticket-station", Select).set_options(
                [(Text(f"{s.name} ({s.district})"), s.code) for s in self._stations]
            )
        self.drafts.restore_choices()
        self._suggest_station()

    def set_category(self, category_id: str) -> bool:
        """Pick a category by id; False while the tree is still loading."""
        return self.query_one(CategoryPicker).select_id(category_id)

    def category_loaded(self) -> bool:
        """The categories are in: one can be picked (the stations may still be coming)."""
        return bool(self.query_one(CategoryPicker).entries)

    @property
    def category_id(self) -> str:
        return self.query_one(CategoryPicker).value

    # -- reacting to the agent ---------------------------------------------------------
    @on(CategoryPicker.Picked)
    def _category_picked(self, event: CategoryPicker.Picked) -> None:
        priority = self.query_one("#ticket-priority", Select)
        if priority.value == "normal" and event.entry.priority_default in PRIORITIES:
            priority.value = event.entry.priority_default
        self.query_one("#err-category", Static).display = False
        self.drafts.changed()

    @on(Input.Changed, "#ticket-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self.show_due(event.value)
        self.drafts.changed()

    def show_due(self, text: str) -> None:
        preview = due_preview(text, datetime.now())
        self.query_one("#ticket-due-parsed", Static).update(Content(preview))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "ticket-source":
            self._show_flags()
        if event.select.id == "ticket-station":
            self._suggest_station()
        self.drafts.changed()

    @on(Input.Changed, "#ticket-summary")
    @on(TextArea.Changed)
    def _typed(self) -> None:
        self.drafts.changed()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _next_ticket_begins(self) -> None:
        """A word in any field (the reset after a save is not one: it is prevented):
        "Ticket 1 saved" is about the last ticket, not this one."""
        self.messages.next_ticket()

    # -- saving --------------------------------------------------------------------------
    def draft(self) -> dict[str, Any]:
        caller = self.caller()
        station = self.query_one("#ticket-station", Select).value
        return {
            "caller_id": caller.id if caller else None,
            "category": self.category_id,
            "priority": self.query_one("#ticket-priority", Select).value,
            "source": self.query_one("#ticket-source", Select).value,
            "summary": self.query_one("#ticket-summary", Input).value.strip(),
            "notes": self.query_one("#ticket-notes", TextArea).text,
            "station_id": station if isinstance(station, str) else "",
            "area": "practice" if self.console.session.practice else "production",
        }

    def action_save(self) -> None:
        self.saver.save()

    def close_call_draft(self, call: str, *, discard: bool = False) -> bool:
        """For the wrap-up of `call` (the call spine): True when its draft is closed;
        False while it holds unsaved text: ask the agent, then call with discard=True."""
        return self.drafts.end_of_call(call, discard=discard)

    def clear_form(self) -> None:
        """Empty the form for another agent's or call's draft (theirs stays on disk)."""
        self._reset(discard=False)

    def _reset(self, discard: bool = True) -> None:
        self.idempotency_key = new_key()
        self.draft_caller = None
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#ticket-summary", Input).value = ""
            self.query_one("#ticket-notes", TextArea).text = ""
            self.query_one("#ticket-due", Input).value = ""
            self.query_one(CategoryPicker).clear()
            self.query_one("#ticket-station", Select).clear()
            self.query_one("#ticket-priority", Select).value = "normal"
            self.query_one("#ticket-source", Select).value = "hotline"
        self.show_due("")
        self.suggested_station = ""
        self.messages.clear_errors()
        self.show_caller_line()
        self._show_flags()
        if discard:
            self.drafts.discard()
        else:
            self.drafts.debounce.cancel()
            self.drafts.pending.clear()
            self.drafts.generation += 1

    def action_discard(self) -> None:
        call = self.console.session.call
        if call.caller is not None:
            self.blank_for = (call.key, call.caller.id)
        self._reset()
        self.messages.status(_("New blank ticket."))
