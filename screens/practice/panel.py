"""The practice panel under the status bar of every screen: what the simulated caller
just said and the hint to follow (scripted, or live from a mentor).

Caller lines and hints are scenario or mentor text: rendered as Content, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.keys import key_display

if TYPE_CHECKING:
    from agent_console.practice_call import CallView

SHOWN_LINES = 2


class PracticePanel(ConsoleAccess, Vertical):
    DEFAULT_CSS = """
    PracticePanel {
        height: auto;
        max-height: 5;
        background: $warning 15%;
        border-left: outer $warning;
    }
    PracticePanel > Static { height: auto; max-height: 2; }
    PracticePanel #pp-hint.-mentor { text-style: bold; background: $accent 30%; }
    PracticePanel #pp-notice { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="pp-lines")
        yield Static(id="pp-hint")
        yield Static(id="pp-notice")

    def on_mount(self) -> None:
        desk = self.console.desk
        desk.changed.subscribe(self, self.show_view)
        self.show_view(desk.view)

    def redraw_words(self) -> None:
        """The language changed (screens/language.py): the lines are templates."""
        self.show_view(self.console.desk.view)

    def _key(self, action_id: str) -> str:
        keys = self.console.settings.keys
        first = keys.get(action_id, "").split(",")[0]
        return key_display(first) if first else "?"

    def show_view(self, view: CallView) -> None:
        lines = self.query_one("#pp-lines", Static)
        hint = self.query_one("#pp-hint", Static)
        notice = self.query_one("#pp-notice", Static)
        if view.scenario is None:
            lines.update(
                Content(
                    _("No practice call · {key}: the practice menu").format(
                        key=self._key("seat.wrap_up")
                    )
                )
            )
        elif view.ended:
            lines.update(
                Content(_("Call ended · {key}: next call").format(key=self._key("seat.wrap_up")))
            )
        else:
            shown = view.lines[-SHOWN_LINES:]
            if shown:
                parts = [
                    Content.assemble((f"☎ {line.step} ", "bold"), line.text)
                    if i == len(shown) - 1
                    else Content.assemble((f"  {line.step} ", "dim"), (line.text, "dim"))
                    for i, line in enumerate(shown)
                ]
                lines.update(Content("\n").join(parts))
            else:
                lines.update(Content(_("☎ The caller is on the line; greet them.")))
        current = view.hint
        if current is None or view.ended:
            hint.display = False
        else:
            hint.display = True
            label = "★ " + _("Mentor") if current.source == "mentor" else "➜ " + _("Hint")
            hint.update(Content.assemble((f"{label}: ", "bold"), current.text))
            hint.set_class(current.source == "mentor", "-mentor")
        if view.notice:
            notice.update(Content(view.notice))
        elif view.scenario is not None and not view.ended:
            notice.update(
                Content(
                    _("{hand}: raise hand · {note}: note · {hang}: hang up").format(
                        hand=self._key("practice.raise_hand"),
                        note=self._key("call.note"),
                        hang=self._key("seat.wrap_up"),
                    )
                )
            )
        else:
            notice.update(Content(""))
        notice.display = bool(view.notice) or (view.scenario is not None and not view.ended)
