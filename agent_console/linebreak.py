"""Line breaking for text the console wraps itself: by terminal cells, with an indent
that continues on every wrapped line, and Chinese rules (禁则).

Textual wraps at spaces or anywhere in Chinese text, so a line could start with
"、门牌号" or a lone "。", and a wrapped line went back to column 0 under its bullet.
Here a line never starts with closing punctuation nor ends with opening punctuation:
the character before moves down with it. English words are never split unless one
alone is wider than the line. No Textual here; screens draw what this returns.
"""

from __future__ import annotations

import re
from itertools import pairwise

from rich.cells import cell_len

#: Must not start a line (closing brackets, stops, commas, the ideographic ones too).
CLOSING = frozenset("。，、？！：；」』）》〉】〕〗’”．・…‥%)]},.?!:;")
#: Must not end a line.
OPENING = frozenset("「『（《〈【〔〖‘“([{")

# A unit is a run of narrow, non-space characters (an English word, a number, "you?")
# or one wide character, each with the spaces after it. A no-break space (U+00A0) is
# not a space here: "step\u00a01" stays on one line.
_SPACE = " \t\u3000"
_NBSP = "\u00a0"
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_UNIT = re.compile(f"(?:[^{_SPACE}{_WIDE}]+|[^{_SPACE}])[{_SPACE}]*|[{_SPACE}]+")


def _glued(text: str) -> list[tuple[int, str]]:
    """The units of `text`, those joined by a no-break space made one: "标准\u00a075\u00a0秒"
    (wide characters are units of their own) stays on one line as "par\u00a075\u00a0s" does."""
    glued: list[tuple[int, str]] = []
    for match in _UNIT.finditer(text):
        at, unit = match.start(), match.group(0)
        if glued and (glued[-1][1].endswith(_NBSP) or unit.startswith(_NBSP)):
            glued[-1] = (glued[-1][0], glued[-1][1] + unit)
        else:
            glued.append((at, unit))
    return glued


def _units(text: str, width: int) -> list[tuple[int, str]]:
    """(offset, unit) pairs covering `text` in order; a word wider than the line is
    folded into pieces, as there is no other way."""
    units: list[tuple[int, str]] = []
    for at, unit in _glued(text):
        if cell_len(unit.rstrip(_SPACE)) <= width:
            units.append((at, unit))
            continue
        piece = ""
        for char in unit:
            if piece and cell_len(piece + char) > width:
                keep = piece[:-1] if char in CLOSING and len(piece) > 1 else piece
                units.append((at, keep))
                at += len(keep)
                piece = piece[len(keep) :]
            piece += char
        units.append((at, piece))
    return units


def _starts_closing(unit: str) -> bool:
    return unit[:1] in CLOSING


def _ends_opening(unit: str) -> bool:
    return unit.rstrip(_SPACE)[-1:] in OPENING


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of `text` (one paragraph) start after the first, to fit `width`
    cells once trailing spaces are dropped (offsets into `text`, for Content.divide)."""
    width = max(width, 2)
    starts: list[int] = []
    line: list[tuple[int, str]] = []
    used = 0
    for at, unit in _units(text, width):
        if line and used + cell_len(unit.rstrip(_SPACE)) > width:
            moved = [(at, unit)]
            # 禁则: pull the unit before down with a closing mark, and an opening
            # mark at the end goes down with what it opens (never leaving a line empty).
            while len(line) > 1 and (_starts_closing(moved[0][1]) or _ends_opening(line[-1][1])):
                moved.insert(0, line.pop())
            starts.append(moved[0][0])
            line, used = moved, sum(cell_len(u) for _at, u in moved)
        else:
            line.append((at, unit))
            used += cell_len(unit)
    return starts


def break_lines(text: str, width: int) -> list[str]:
    """`text` (one paragraph) as lines of at most `width` cells, trailing spaces
    dropped, nothing lost: joined back they hold every non-space character in order."""
    bounds = [0, *break_offsets(text, width), len(text)]
    return [text[a:b].rstrip(_SPACE) for a, b in pairwise(bounds)]


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """Each paragraph of `text` wrapped to `width` cells after a prefix: `first` before
    the first line (a bullet, an indent), `rest` before every wrapped line (by default
    as many spaces as `first` is wide, so wrapped lines keep the indent)."""
    if rest is None:
        rest = " " * cell_len(first)
    room = max(width - max(cell_len(first), cell_len(rest)), 2)
    out: list[str] = []
    for paragraph in text.split("\n"):
        for line in break_lines(paragraph, room) or [""]:
            out.append((first if not out else rest) + line)
    return out


def shorten(text: str, width: int) -> str:
    """`text` in `width` cells: whole if it fits, else cut with a visible "…" (after
    the last whole word when one ends in the second half), never silently."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    kept = ""
    for char in text:
        if cell_len(kept + char) > width - 1:
            break
        kept += char
    space = kept.rstrip(_SPACE).rfind(" ")
    if space >= len(kept) // 2:
        kept = kept[:space]
    return kept.rstrip(_SPACE + "·,，、") + "…"
