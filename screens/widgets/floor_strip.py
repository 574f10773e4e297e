"""The floor message strip under the call strip, on every screen: a supervisor's
message stays here until the agent marks it read (the key it names). Hidden when
there is none. The message and its sender are text, never markup; it is wrapped by
agent_console/linebreak.py (Textual's wrap moved a Chinese message without spaces
whole to the next line, and cut a long one at the strip's edge), and the strip is
tall enough for the longest message the backend takes at 80 columns."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.wrapped import Wrapped
from agent_console.seat.floor_messages import message_line


class FloorStrip(ConsoleAccess, Static):
    DEFAULT_CSS = """
    FloorStrip {
        dock: top;
        margin-top: 2;
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $warning 30%;
        color: $text;
        display: none;
    }
    FloorStrip.-shown { display: block; }
    """

    def on_mount(self) -> None:
        self.console.floor_signal.subscribe(self, self._redraw)
        self.redraw()

    def _redraw(self, _signal: object) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the oldest unread message (again: a language switch calls this too)."""
        desk = self.console.floor
        message = desk.current
        self.set_class(message is not None, "-shown")
        if message is None:
            self.update("")
            return
        key = self.key_of("floor.read")
        hint = _("{key}: mark read").format(key=key) if key else ""
        line = message_line(message, len(desk.unread) - 1)
        text = Content.assemble(("✉ ", "bold"), line, ("  " + hint if hint else "", "italic"))
        self.update(Wrapped([(text, "", "  ")]))
