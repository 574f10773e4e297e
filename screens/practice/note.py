"""A line for the call notes from any screen (the note key): type, Enter, back where
you were. The ticket form takes the call notes when it opens."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from agent_console.i18n import N_, _
from agent_console.screens.dialog import Dialog


class CallNoteScreen(Dialog[str | None]):
    DEFAULT_CSS = """
    CallNoteScreen { align: center middle; }
    #note-box { width: 70; max-width: 100%; height: auto; border: thick $accent;
                background: $surface; padding: 0 1; }
    #note-title { text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    KEYS = (("Enter", N_("Add to the notes")),)
    AUTO_FOCUS = "#note-text"

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content(_("Add to the call notes")), id="note-title")
            yield Input(id="note-text", placeholder=_("What the caller said, what you did"))

    def take_typing(self) -> None:
        """Focus the box now, so keys typed right after the note key land in it."""
        self.set_focus(self.query_one("#note-text", Input))

    @on(Input.Submitted, "#note-text")
    def _add(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
