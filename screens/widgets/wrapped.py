"""A Textual Visual that wraps its text where it is drawn, by agent_console/linebreak.py:
wrapped lines keep their indent (under a bullet, under `    ` in a list) and Chinese
lines never start with 。，、 nor end with （「. Textual's own wrapping does neither.

Use it where a Static or an Option held `Content.assemble(head, "\\n    ", body)`:
`Wrapped([(head, "", None), (body, "    ", None)])`. Styles and spans inside each
block are kept (Content.divide cuts at the offsets the line breaker chose).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from agent_console.linebreak import break_offsets

#: One paragraph block: its text (plain or styled), the prefix of its first line, and
#: of the lines after (None: as many spaces as the first prefix is wide).
Block = tuple[Content | str, str, str | None]


class Wrapped(Visual):
    """Blocks of text, each wrapped to the width it is drawn at with a hanging indent."""

    def __init__(self, blocks: Sequence[Block], style: str = "") -> None:
        self.blocks = [(Content(b) if isinstance(b, str) else b, f, r) for b, f, r in blocks]
        self.style = style
        self._cache: tuple[int, Content] | None = None

    def __str__(self) -> str:
        """The text unwrapped (what a test or a screen reader looks for)."""
        return "\n".join(first + body.plain for body, first, _rest in self.blocks)

    def content(self, width: int) -> Content:
        """The blocks as lines that each fit `width` cells."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        lines: list[Content] = []
        for body, first, rest in self.blocks:
            rest = " " * cell_len(first) if rest is None else rest
            room = max(width - max(cell_len(first), cell_len(rest)), 2)
            prefix = first
            for paragraph in body.split("\n", allow_blank=True) or [Content("")]:
                for piece in paragraph.divide(break_offsets(paragraph.plain, room)):
                    lines.append(Content.assemble(prefix, piece.rstrip()))
                    prefix = rest
        drawn = Content("\n").join(lines)
        if self.style:
            drawn = drawn.stylize_before(self.style)
        self._cache = (width, drawn)
        return drawn

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content(container_width).get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.content(width).split("\n", allow_blank=True))
