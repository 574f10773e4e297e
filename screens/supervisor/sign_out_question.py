"""The question before a supervisor signs a seat out, with the reason the agent's lock
will show: typed (one line, optional), or picked with Up/Down from the usual ones
(agent_console/seat_hand.py). Enter signs out, Esc keeps the agent signed in. The
answer is the reason ("" for none), or None for "keep them signed in". The agent's
name and number are text, never markup.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from agent_console.i18n import N_, _
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for, key_display
from agent_console.seat_hand import MAX_MESSAGE, sign_out_reason, sign_out_reasons


class SignOutQuestion(Dialog[str | None]):
    DEFAULT_CSS = """
    SignOutQuestion { align: center middle; }
    #signout-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
                   border: thick $warning; background: $surface; padding: 0 1; }
    #signout-title { text-style: bold; }
    #signout-body, #signout-label { height: auto; margin: 1 0 0 0; }
    #signout-hint { color: $text-muted; }
    """
    BINDINGS = bindings_for("confirm")
    KEYS = (("Enter", N_("Sign out")),)  # the reason box takes Enter (Input.Submitted)
    AUTO_FOCUS = "#signout-reason"

    def __init__(self, agent: str) -> None:
        """`agent`: "name (number)", shown as plain text."""
        super().__init__()
        self.agent = agent
        self.reasons = sign_out_reasons()

    def compose(self) -> ComposeResult:
        with Vertical(id="signout-box"):
            title = _("Sign out {agent}?").format(agent=self.agent)
            yield Static(Content(title), id="signout-title")
            body = _("Their console locks and says you signed them out; what they typed is kept.")
            yield Static(Content(body), id="signout-body")
            label = _("Reason their console shows (optional; Up/Down: the usual ones)")
            yield Static(Content(label), id="signout-label")
            yield Input(
                # One usual reason as an example (all of them ran off the box, cut):
                # Up/Down brings each in turn.
                placeholder=_("for example: {reason}…").format(reason=self.reasons[0]),
                max_length=MAX_MESSAGE,
                suggester=SuggestFromList(self.reasons, case_sensitive=False),
                id="signout-reason",
            )
            yield Static(Content(self.hint()), id="signout-hint")

    def hint(self) -> str:
        keys = {b.action: key_display(b.key) for b in self.BINDINGS if isinstance(b, Binding)}
        return _("{yes_keys}: {yes} · {no_keys}: {no}").format(
            yes_keys=keys.get("yes", ""),
            yes=_("Sign out"),
            no_keys=keys.get("no", ""),
            no=_("Keep them signed in"),
        )

    def on_key(self, event: events.Key) -> None:
        """Up/Down in the reason: the next (previous) usual reason."""
        if event.key not in ("up", "down"):
            return
        event.stop()
        event.prevent_default()
        box = self.query_one("#signout-reason", Input)
        here = self.reasons.index(box.value) if box.value in self.reasons else -1
        step = 1 if event.key == "down" else -1
        box.value = self.reasons[(here + step) % len(self.reasons)]
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#signout-reason")
    def _submitted(self) -> None:
        self.action_yes()

    def action_yes(self) -> None:
        self.dismiss(sign_out_reason(self.query_one("#signout-reason", Input).value))

    def action_no(self) -> None:
        self.dismiss(None)
