"""The two small dialogs of the review screens: drawing a sample (tickets per agent, the
days), and picking a practice scenario that trains a weak scorecard item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models.quality import Coaching
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.screens.widgets.key_bar import KeyBar
from agent_console.supervision.review_form import (
    SampleRequest,
    default_range,
    parse_sample,
    title_in,
)

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; }}
{name} .dialog-status {{ height: auto; color: $text-muted; }}
"""


class SampleScreen(ConsoleAccess, Dialog[SampleRequest | None]):
    """How many closed tickets per agent, between which days (the last seven by default)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SampleScreen")
    BINDINGS = bindings_for("sample")

    def compose(self) -> ComposeResult:
        first, last = default_range(dt.date.today())
        with Vertical():
            yield Static(Content(_("Draw a review sample")), classes="dialog-title")
            yield Label(_("Closed tickets per agent"))
            yield Input("3", id="sample-n")
            yield Label(_("From (YYYY-MM-DD)"))
            yield Input(first, id="sample-from")
            yield Label(_("To (YYYY-MM-DD)"))
            yield Input(last, id="sample-to")
            yield Static(
                Content(_("Enter: next field / draw · Esc: cancel")),
                id="sample-status",
                classes="dialog-status",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        box = self.query_one("#sample-n", Input)
        self.set_focus(box)
        box.select_all()

    def action_next_field(self) -> None:
        """Enter: the next field, at once (keys typed behind it land there), or draw."""
        fields = list(self.query(Input))
        focused = self.focused
        if not isinstance(focused, Input) or focused is fields[-1]:
            self.action_draw()
            return
        self.set_focus(fields[fields.index(focused) + 1])

    def action_draw(self) -> None:
        values = [self.query_one(f"#sample-{k}", Input).value for k in ("n", "from", "to")]
        request = parse_sample(*values)
        if isinstance(request, str):
            self.query_one("#sample-status", Static).update(Content("✗ " + request))
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AssignScreen(ConsoleAccess, Dialog[Coaching | None]):
    """The scenarios that train one item (GET /scenarios/for-item); Enter assigns one."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="AssignScreen")
        + """
    AssignScreen #assign-list { height: auto; max-height: 12; }
    """
    )
    BINDINGS = bindings_for("assign")
    AUTO_FOCUS = "#assign-list"

    def __init__(self, review_id: int, item_id: str, item_label: str) -> None:
        super().__init__()
        self.review_id = review_id
        self.item_id = item_id
        self.item_label = item_label
        self.scenarios: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Practice for: {item}").format(item=self.item_label)
            yield Static(Content(title), classes="dialog-title")
            yield OptionList(id="assign-list")
            yield Static(
                Content(_("Loading scenarios…")), id="assign-status", classes="dialog-status"
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    def say(self, text: str) -> None:
        self.query_one("#assign-status", Static).update(Content(text))

    @work(exclusive=True, group="assign-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            self.scenarios = await self.console.client.scenarios_for_item(self.item_id)
        except (BackendUnavailable, BackendError) as exc:
            self.say("✗ " + _("Scenarios not loaded: {why}").format(why=exc.message))
            return
        options = self.query_one("#assign-list", OptionList)
        for s in self.scenarios:
            options.add_option(Option(Content(scenario_title(s)), id=str(s.get("id", ""))))
        if self.scenarios:
            options.highlighted = 0
            self.say(_("Enter assigns it to the agent · Esc: cancel"))
        else:
            self.say(_("No practice scenario trains this item."))

    @on(OptionList.OptionSelected, "#assign-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._assign(event.option.id)

    @work(exclusive=True, group="assign-send", exit_on_error=False)
    async def _assign(self, scenario_id: str) -> None:
        self.say(_("Assigning…"))
        try:
            coaching = await self.console.client.assign_coaching(
                self.review_id, self.item_id, scenario_id
            )
        except (BackendUnavailable, BackendError) as exc:
            self.say("✗ " + _("Not assigned: {why}").format(why=exc.message))
            return
        self.dismiss(coaching)

    def action_cancel(self) -> None:
        self.dismiss(None)


def scenario_title(scenario: dict[str, Any]) -> str:
    """A scenario as the backend lists it: its title in the UI's language, else its id."""
    title = scenario.get("title")
    ident = str(scenario.get("id", ""))
    if isinstance(title, dict):
        zh, en = str(title.get("zh") or ""), str(title.get("en") or "")
        return title_in(i18n.language(), zh, en, ident)
    return str(title) if title else ident
