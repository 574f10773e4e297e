"""Scripts (F3): the centre's standard phrases, filled in for this agent and caller.

Placeholders with no value show as a visible gap, never as raw braces. Enter marks
the highlighted line as said and adds it to the call notes.
"""

from __future__ import annotations

import re
import time

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Script
from screens.base import ConsoleScreen
from screens.keys import bindings_for

GAP = "＿＿＿"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def time_greeting(language: str, hour: int | None = None) -> str:
    hour = time.localtime().tm_hour if hour is None else hour
    if language == "en":
        return "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening"
    return "早上好" if hour < 12 else "下午好" if hour < 18 else "晚上好"


def fill(body: str, values: dict[str, str]) -> str:
    """Replace {placeholders}; a missing or empty value becomes a visible gap."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or GAP, body)


STAGES = ("greeting", "verification", "hold", "transfer", "apology", "closing")


def stage_label(stage: str) -> str:
    return {
        "greeting": _("Greeting"),
        "verification": _("Verification"),
        "hold": _("Hold"),
        "transfer": _("Transfer"),
        "apology": _("Apology"),
        "closing": _("Closing"),
    }.get(stage, stage)


class ScriptsScreen(ConsoleScreen):
    CSS_PATH = "scripts.tcss"
    BINDINGS = bindings_for("scripts")
    TYPING_TARGET = "#scripts-filter"
    SELECT_ON_HOTKEY = True
    AUTO_FOCUS = "#scripts-filter"

    def __init__(self) -> None:
        super().__init__()
        self._scripts: list[Script] = []
        self._shown: list[Script] = []
        self._said: set[int] = set()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="scripts-body"):
            yield Input(placeholder=_("Filter phrases (hold, closing, 稍等…)"), id="scripts-filter")
            yield Static(id="scripts-status")
            options = OptionList(id="scripts-list")
            options.can_focus = False
            yield options

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self._scripts:
            self._load()
        else:
            self._refresh_list()

    def _values(self, language: str) -> dict[str, str]:
        session = self.app.session  # type: ignore[attr-defined]
        agent = session.agent
        caller = session.call.caller
        return {
            "agent_no": agent.agent_no if agent else "",
            "hotline": self._hotline(),
            "centre": "",
            "greeting": time_greeting(language),
            "caller_name": caller.name if caller else "",
        }

    def _hotline(self) -> str:
        configured = self.app.settings.console.hotline  # type: ignore[attr-defined]
        agent = self.app.session.agent  # type: ignore[attr-defined]
        return configured or (agent.hotline if agent else "")

    @work(exclusive=True, group="scripts-load", exit_on_error=False)
    async def _load(self) -> None:
        status = self.query_one("#scripts-status", Static)
        try:
            self._scripts = await self.app.client.scripts(hotline=self._hotline() or None)  # type: ignore[attr-defined]
        except (BackendUnavailable, BackendError) as exc:
            status.update(Content(f"✗ {exc.message}"))
            return
        self._refresh_list()

    @on(Input.Changed, "#scripts-filter")
    def _filter_changed(self) -> None:
        self._refresh_list()

    def _refresh_list(self) -> None:
        needle = self.query_one("#scripts-filter", Input).value.strip().lower()
        order = {s: i for i, s in enumerate(STAGES)}
        shown = [
            s
            for s in self._scripts
            if not needle
            or needle in s.title.lower()
            or needle in s.body.lower()
            or needle in s.stage
            or needle in stage_label(s.stage).lower()
        ]
        shown.sort(key=lambda s: (s.language != "zh", order.get(s.stage, 99)))
        self._shown = shown
        options = self.query_one("#scripts-list", OptionList)
        options.clear_options()
        for s in shown:
            mark = "✓ " if s.id in self._said else "  "
            text = fill(s.body, self._values(s.language))
            options.add_option(
                Option(
                    Content(f"{mark}[{stage_label(s.stage)} · {s.language}] {s.title}\n    {text}"),
                    id=str(s.id),
                )
            )
        if shown:
            options.highlighted = 0
        self.query_one("#scripts-status", Static).update(
            Content(_("{n} phrases · Enter marks the highlighted one as said").format(n=len(shown)))
        )

    def action_move(self, delta: int) -> None:
        options = self.query_one("#scripts-list", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_clear(self) -> None:
        self.query_one("#scripts-filter", Input).value = ""

    @on(Input.Submitted, "#scripts-filter")
    def _say(self) -> None:
        options = self.query_one("#scripts-list", OptionList)
        if options.highlighted is None or not self._shown:
            return
        script = self._shown[options.highlighted]
        self._said.add(script.id)
        said = fill(script.body, self._values(script.language))
        self.app.session.call.add_note(said)  # type: ignore[attr-defined]
        self._refresh_list()
        options.highlighted = min(self._shown.index(script), options.option_count - 1)
