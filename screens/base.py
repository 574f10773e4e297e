"""What every hotkey screen shares: the status bar and the call strip on top, the footer
below, and the widget that takes what the agent types right after the screen's hotkey."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.call_strip import CallStrip
from agent_console.screens.widgets.floor_strip import FloorStrip
from agent_console.screens.widgets.key_bar import KeyBar
from agent_console.screens.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


class ConsoleScreen(ConsoleAccess, Screen):
    #: CSS selector of the widget that receives type-ahead after the screen's hotkey.
    TYPING_TARGET: str | None = None
    #: Select the target's text on the hotkey, so the next query replaces the last one
    #: (search boxes), or keep the cursor at the end (forms being filled in).
    SELECT_ON_HOTKEY: bool = False
    #: Show the practice panel (caller lines, hints) under the status bar in practice.
    PRACTICE_PANEL: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Styled from the App's sheet as it stands (its variables are the theme's from
        # the start; a theme change re-styles the screens shown). Without this a hotkey
        # screen shown for the first time has Textual parse every sheet again, twice
        # (App._init_mode and switch_mode): ~50-150 ms before the first paint here.
        # (Textual's private counter; Textual is pinned below 9.)
        with contextlib.suppress(NoActiveAppError):  # made outside an app: Textual's way
            self._css_update_count = self.app._css_update_count

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield CallStrip()
        yield FloorStrip()
        if self.PRACTICE_PANEL and self.console.session.practice:
            from agent_console.screens.practice.panel import PracticePanel

            yield PracticePanel()
        yield from self.compose_body()
        yield KeyBar()

    def show_practice_panel(self) -> None:
        """Practice began after this screen was composed (the demo's trainee, known
        when its sign-in answers): the panel compose() would have given."""
        if not self.PRACTICE_PANEL or not self.query(FloorStrip):
            return  # not composed yet: compose() reads the session
        from agent_console.screens.practice.panel import PracticePanel

        if not self.query(PracticePanel):
            self.mount(PracticePanel(), after=self.query_one(FloorStrip))

    def compose_body(self) -> ComposeResult:
        yield from ()

    def typing_target(self) -> Widget | None:
        if self.TYPING_TARGET is None:
            return None
        return self.query_one(self.TYPING_TARGET)

    def take_typing(self, select: bool = False) -> None:
        """Focus the typing target now, synchronously: keys already queued behind the
        hotkey are then delivered to it (Widget.focus() would defer to a later tick)."""
        target = self.typing_target()
        if target is None:
            return
        if self.focused is not target:
            self.set_focus(target)
        if select and isinstance(target, Input):
            target.select_all()

    def on_screen_resume(self) -> None:
        self.take_typing()

    def relabel(self, switch: Switch) -> None:
        """The UI language changed: translate this screen's labels again in place (what
        was typed stays). Screens that draw text from templates extend this to redraw
        it (screens/language.py)."""
        from agent_console.screens.language import relabel_widgets

        relabel_widgets(self, switch)
        for bar in self.query(KeyBar):
            bar.refresh_keys()
        for strip in self.query(FloorStrip):
            strip.redraw()
