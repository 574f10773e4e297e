"""A question before something that cannot be taken back: an SMS to a customer,
quitting during a call. It shows what is about to happen (the words given, plain
text: caller names and article text are untrusted), then Enter or y goes ahead,
Esc or n goes back (y and n whatever the keymap says). Nothing happens before
the key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.key_hints import Hint
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


class ConfirmScreen(Dialog[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    #confirm-box { width: 76; max-width: 100%; height: auto; max-height: 100%;
                   border: thick $warning; background: $surface; padding: 0 1; }
    #confirm-title { text-style: bold; }
    .confirm-line { height: auto; }
    #confirm-body { height: auto; max-height: 12; margin: 1 0; color: $text; }
    """
    BINDINGS = bindings_for("confirm")

    def __init__(
        self, title: str, lines: Sequence[Content], body: str, *, yes: str, no: str
    ) -> None:
        """`lines` name who or what (already Content); `body` is shown as plain text."""
        super().__init__()
        self.title_text = title
        self.lines = tuple(lines)
        self.body = body
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Content(self.title_text), id="confirm-title")
            for line in self.lines:
                yield Static(line, classes="confirm-line")
            if self.body:
                yield Static(Content(self.body), id="confirm-body")

    def relabel(self, switch: Switch) -> None:
        """The language changed while the question is up: its answers in the bar too."""
        from agent_console.screens.language import relabel_widgets

        for word in ("yes", "no"):
            msgid = switch.shown.get(getattr(self, word))
            if msgid:
                setattr(self, word, _(msgid))
        relabel_widgets(self, switch)

    def key_hints(self, bound: list[Hint]) -> list[Hint]:
        """The answers in this question's words ("quit anyway", "stay"), y and n too."""
        words = {"confirm.yes": (self.yes, "y"), "confirm.no": (self.no, "n")}
        return [
            Hint(h.action_id, f"{h.key}/{words[h.action_id][1]}", words[h.action_id][0], "", False)
            if h.action_id in words
            else h
            for h in bound
        ]

    def on_key(self, event: events.Key) -> None:
        """y and n too (a keymap may not bind a bare letter: it is typing elsewhere)."""
        answer = {"y": True, "n": False}.get((event.character or "").lower())
        if answer is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(answer)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
