"""New caller form: a number the lookup does not know (screen-pop or Ctrl+N).

The number is filled in; the agent types the name and what else the caller says,
Ctrl+S saves, and the caller card opens for the new caller. A value the backend
refuses is explained next to its field and nothing typed is lost; a backend that
is down leaves the form as it is, to save again.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for

FIELDS = ("name", "phone", "account_no", "compound", "address", "id_number", "notes")


def field_text(field: str) -> tuple[str, str]:
    """A field's label and placeholder, translated."""
    return {
        "name": (_("Name"), _("As the caller says it")),
        "phone": (_("Phone"), _("The number the call came from")),
        "account_no": (_("Account no."), _("Payment account number, if the caller knows it")),
        "compound": (_("Compound"), _("Residential compound (小区)")),
        "address": (_("Address"), _("District, street, building, unit, flat")),
        "id_number": (_("ID number"), _("Only if needed")),
        "notes": (_("Notes"), ""),
    }[field]


def languages() -> list[tuple[Text, str]]:
    return [(Text(_("Chinese")), "zh"), (Text(_("English")), "en")]


class NewCallerScreen(ConsoleScreen):
    CSS_PATH = "new_caller.tcss"
    BINDINGS = bindings_for("newcaller")
    TYPING_TARGET = "#new-name"
    AUTO_FOCUS = "#new-name"

    def __init__(self, number: str = "") -> None:
        super().__init__()
        self.number = number
        self._saving = False
        self.kept: dict[str, str] | None = None

    def compose_body(self) -> ComposeResult:
        # What the agent typed earlier in this call and left with Esc: back as it was.
        self.kept = self.console.session.call.new_caller
        with VerticalScroll(id="new-form"):
            yield Static(Content(_("New caller")), id="new-title")
            for field in FIELDS:
                label, hint = field_text(field)
                yield Label(label)
                value = self.number if field == "phone" else ""
                if self.kept is not None:
                    value = self.kept.get(field) or value
                yield Input(value=value, id=f"new-{field}", placeholder=hint)
                yield Static(classes="field-error", id=f"new-err-{field}")
                if field == "compound":
                    yield Label(_("Preferred language"))
                    yield Select[str](
                        languages(),
                        id="new-language",
                        value=(self.kept or {}).get("language") or "zh",
                        allow_blank=False,
                    )
            yield Static(id="new-status")

    def on_mount(self) -> None:
        self._clear_errors()
        if self.kept is not None:
            save = self.key_of("newcaller.save")
            self._status(
                _("What you typed for this caller is back; {key} saves it.").format(key=save)
            )

    def _clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.display = False

    def _field_error(self, field: str, message: str) -> None:
        target = field if field in FIELDS else "name"
        error = self.query_one(f"#new-err-{target}", Static)
        error.update(Content(f"✗ {message}"))
        error.display = True

    def _status(self, text: str) -> None:
        self.query_one("#new-status", Static).update(Content(text))

    def has_typed(self) -> bool:
        """Details typed that are not saved (a number handed in from the call is not)."""
        data = self.draft()
        return any(data[f] for f in FIELDS if f != "phone") or data["phone"] != self.number

    def draft(self) -> dict[str, Any]:
        data: dict[str, Any] = {f: self.query_one(f"#new-{f}", Input).value.strip() for f in FIELDS}
        data["language"] = self.query_one("#new-language", Select).value
        return data

    def action_save(self) -> None:
        if self._saving:
            return
        self._clear_errors()
        data = self.draft()
        problems = False
        if not data["name"]:
            self._field_error("name", _("Type the caller's name."))
            problems = True
        if sum(ch.isdigit() for ch in data["phone"]) < 3:
            self._field_error("phone", _("Type the number the caller calls from."))
            problems = True
        if problems:
            return
        self._saving = True
        self._status(_("saving…"))
        self._save(data)

    @work(exclusive=True, group="new-caller-save", exit_on_error=False)
    async def _save(self, data: dict[str, Any]) -> None:
        try:
            caller = await self.console.client.create_caller(data)
        except BackendUnavailable as exc:
            self._status(
                "✗ "
                + _("Backend unreachable; nothing is lost. Save again when it is back.")
                + f" ({exc.message})"
            )
            return
        except BackendError as exc:
            for field, message in exc.fields.items():
                self._field_error(field, message)
            self._status(f"✗ {exc.message}")
            return
        finally:
            self._saving = False
        from agent_console.screens.caller_card import CallerCardScreen

        self.console.session.call.new_caller = None
        self.notify(_("Caller saved"), markup=False)
        self.app.switch_screen(CallerCardScreen(caller))

    def action_cancel(self) -> None:
        """Esc: back, and what was typed is kept for this call (Esc is the key an agent
        presses by reflex; a caller's address typed once must not need typing again)."""
        call = self.console.session.call
        if self.has_typed():
            call.new_caller = {k: str(v) for k, v in self.draft().items()}
            self.notify(
                _("New caller kept for this call: {key} opens it again.").format(
                    key=self.key_of("lookup.new_caller")
                ),
                markup=False,
            )
        else:
            call.new_caller = None  # emptied by hand: nothing to bring back
        self.dismiss()
