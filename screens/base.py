"""What every hotkey screen shares: the status bar on top, the footer below, and the
widget that takes what the agent types right after the screen's hotkey."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from screens.widgets.status_bar import StatusBar


class ConsoleScreen(Screen):
    #: CSS selector of the widget that receives type-ahead after the screen's hotkey.
    TYPING_TARGET: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def typing_target(self) -> Widget | None:
        if self.TYPING_TARGET is None:
            return None
        return self.query_one(self.TYPING_TARGET)

    def take_typing(self) -> None:
        """Focus the typing target now, synchronously: keys already queued behind the
        hotkey are then delivered to it (Widget.focus() would defer to a later tick)."""
        target = self.typing_target()
        if target is not None and self.focused is not target:
            self.set_focus(target)

    def on_screen_resume(self) -> None:
        self.take_typing()
