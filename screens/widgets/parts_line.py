"""One line of named parts drawn by one widget: the status bar and the call strip.

Each part was a Static of its own in a Horizontal: 15 widgets on every screen, each
composed, styled, laid out and drawn before the first paint (with them, ~40 ms more of
CPU of a ~300 ms start here: `python -m bench startup`). Here a part is a styled span
of one line, its style a Textual style string that may name theme variables
("bold $text on $error"), resolved at each draw, so a theme change shows at once.
A part's text is plain text, never markup.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget


class Part(NamedTuple):
    text: str
    style: str = ""


class PartsLine(Widget):
    DEFAULT_CSS = """
    PartsLine { height: 1; text-wrap: nowrap; text-overflow: clip; }
    """
    #: The parts, left to right, each after a space; a part without text takes none.
    ORDER: ClassVar[tuple[str, ...]] = ()
    #: A part drawn against the right edge (the clock) when the others leave it room.
    RIGHT: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._parts: dict[str, Part] = {}
        self._placed: dict[str, tuple[int, int]] = {}

    def show(self, name: str, text: str, style: str = "") -> None:
        """`text` in part `name`, drawn again only when it or its style changed (the
        strips are refreshed every second: no layout pass, one line redrawn)."""
        part = Part(text, style)
        if self._parts.get(name) != part:
            self._parts[name] = part
            self.refresh()

    def text_of(self, name: str) -> str:
        return self._parts.get(name, Part("")).text

    def style_of(self, name: str) -> str:
        return self._parts.get(name, Part("")).style

    def placed(self) -> dict[str, tuple[int, int]]:
        """Where each part stood at the last draw: its first and past-the-last column."""
        return dict(self._placed)

    def render(self) -> Content:
        width = self.size.width
        spans: list[tuple[str, str]] = []
        placed: dict[str, tuple[int, int]] = {}
        x = 0
        for name in self.ORDER:
            part = self._parts.get(name)
            if part is None or not part.text:
                continue
            text = " " + part.text
            placed[name] = (x, x + cell_len(text))
            x += cell_len(text)
            spans.append((text, part.style))
        right = self._parts.get(self.RIGHT) if self.RIGHT else None
        if right is not None and right.text:
            text = " " + right.text
            room = width - x - cell_len(text)
            if room >= 0:
                spans.append((" " * room, ""))
                placed[self.RIGHT] = (width - cell_len(text), width)
                spans.append((text, right.style))
        self._placed = placed
        return Content.assemble(*spans)
