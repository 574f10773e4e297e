"""Ctrl+Q during a call or with a ticket not saved: what would be left behind, and
quit anyway (Enter, y) or stay (Esc, n). The decision is agent_console/quit_guard.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.quit_guard import QuitRisk
from agent_console.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


def risk_lines(risk: QuitRisk) -> list[Content]:
    """The caller's name and number are untrusted: assembled as plain text."""
    lines = []
    if risk.on_call:
        who = " ".join(part for part in (risk.caller_name, risk.caller_phone) if part)
        lines.append(
            Content.assemble("• ", _("A call is in progress:") + " ", who)
            if who
            else Content("• " + _("A call is in progress."))
        )
    if risk.unsaved_ticket:
        lines.append(Content("• " + _("The ticket form has text that is not saved.")))
    if risk.unsaved_caller:
        lines.append(Content("• " + _("A new caller's details are typed but not saved.")))
    return lines


class QuitQuestion(ConfirmScreen):
    def __init__(self, risk: QuitRisk) -> None:
        super().__init__(
            _("Quit the console?"),
            risk_lines(risk),
            "",
            yes=_("quit anyway"),
            no=_("stay"),
        )
        self.risk = risk

    def relabel(self, switch: Switch) -> None:
        """The language changed while the question is up: what would be left behind is
        said again in it (the lines are assembled around the caller's name)."""
        super().relabel(switch)
        for widget, line in zip(self.query(".confirm-line"), risk_lines(self.risk), strict=False):
            if isinstance(widget, Static):
                widget.update(line)
