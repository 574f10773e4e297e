"""Ctrl+Q during a call or with a ticket not saved: what would be left behind, and
quit anyway (Enter, y) or stay (Esc, n). The decision is agent_console/quit_guard.py's;
this module reads the console's forms for it and asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.quit_guard import QuitRisk, quit_risk
from agent_console.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from agent_console.screens.language import Switch
    from agent_console.session import SessionState


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


def quit_or_ask(console: App[Any], session: SessionState) -> None:
    """Ctrl+Q: at once on an idle seat; during a call or with a ticket or a new
    caller not saved, only after the question. Signals never ask (leave_seat)."""
    if isinstance(console.screen, ConfirmScreen):
        return  # the question is up: a second Ctrl+Q is not an answer
    risk = quit_risk(
        session.call, session.seat.state, _ticket_has_text(console), _caller_form_has_text(console)
    )
    if not risk:
        console.exit()
        return

    def answered(quit_anyway: bool | None) -> None:
        if quit_anyway:
            console.exit()

    console.push_screen(QuitQuestion(risk), answered)


def _ticket_has_text(console: App[Any]) -> bool:
    stack = console._screen_stacks.get("ticket") or []
    form = stack[0] if stack else None
    check = getattr(form, "has_unsaved_text", None)
    return bool(form is not None and form.is_mounted and check is not None and check())


def _caller_form_has_text(console: App[Any]) -> bool:
    """A new-caller form up (on any screen's stack) with details typed into it."""
    from agent_console.screens.new_caller import NewCallerScreen

    return any(
        isinstance(screen, NewCallerScreen) and screen.is_mounted and screen.has_typed()
        for stack in console._screen_stacks.values()
        for screen in stack
    )
