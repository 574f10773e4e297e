"""What a rendered screen must not show (issue 17), checked on the real App's output.

- Cut text: a text widget (Static, Label, an Input's placeholder) that is wholly on
  screen (not scrolled partly out of view) must show every non-space character of its
  text, in order, inside its own region, or show "…" there. Text cut at the widget's
  edge (`How may I help` without `you?`, `tomorro`) fails this; a wrap does not.
- Chinese line breaks: no line (nor a cell of a table, nor text after a border) starts
  with closing punctuation 。，、？！：；」』）》, and none ends with opening （「『《.
- English in Chinese mode: no word of an English UI string (a msgid's word that its
  Chinese translation does not also use, like "SMS") appears; data is allowed by list.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from agent_console import i18n

ELLIPSIS = "…"
CLOSING = "。，、？！：；」』）》"
OPENING = "（「『《"
#: Characters that end a region on a line: borders, scrollbars, the key bar's blocks.
EDGES = "│┃║▌▐▎▏▕█▉▊▋▍▎▁▂▃▄▅▆▇▀▔━─╭╮╰╯┏┓┗┛"

_STARTS = re.compile(rf"(?:^|[\s{EDGES}])([{CLOSING}])")
_ENDS = re.compile(rf"([{OPENING}])(?:[\s{EDGES}]*$|[\s{EDGES}]{{2,}})")
_IDENTIFIER = re.compile(r"\b[a-z_]+(?:\.[a-z_]*)+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")

#: Words that are not English UI text though spelt in Latin letters: key names as
#: printed on the keyboard, units and names the Chinese UI uses as they are.
KEY_WORDS = {
    "esc", "ctrl", "alt", "shift", "tab", "enter", "pgup", "pgdn", "space", "backspace",
    "sms", "id", "ok", "english",
}  # fmt: skip


@dataclass
class Shot:
    """One screen as the tour saw it: its lines, the widgets shown cut, and the SVG."""

    lines: list[str]
    cut: list[str] = field(default_factory=list)
    svg: str = ""
    #: A dialog's own keys as its bar should show them (None: not a dialog).
    dialog_keys: list[str] | None = None


def cells(line: str) -> list[str]:
    """A text line as terminal cells: a wide character, then "" for its second cell."""
    out: list[str] = []
    for char in line:
        out.append(char)
        if get_character_cell_size(char) == 2:
            out.append("")
    return out


def screen_lines(app: App[object]) -> list[str]:
    """The screen as the terminal shows it, dialogs over their background included."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    update = app.screen._compositor.render_update(  # as export_screenshot does
        full=True, screen_stack=app._background_screens
    )
    console.print(update)
    return console.export_text(styles=False).split("\n")[:height]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _intended(widget: Widget) -> str | None:
    """The text a widget means to show, or None for widgets this check leaves alone."""
    if isinstance(widget, Input):
        return widget.placeholder if not widget.value else None
    if isinstance(widget, Static):
        shown = widget.render()
        if isinstance(shown, (Content, Text)):
            return shown.plain
        if isinstance(shown, str):
            return shown
        return str(shown) if type(shown).__name__ == "Wrapped" else None
    return None


def cut_widgets(app: App[object], lines: list[str]) -> list[str]:
    """Widgets of the screen on show whose text is not all there and has no "…"."""
    grid = [cells(line) for line in lines]
    found: list[str] = []
    visible = app.screen._compositor.visible_widgets
    for widget in app.screen.query(OptionList):
        if widget in visible:
            found += _cut_options(widget, *visible[widget], grid)
    for widget in app.screen.query("*"):
        text = _intended(widget)
        if not text or not text.strip() or widget not in visible:
            continue
        region, clip = visible[widget]
        if not region.area or clip.intersection(region) != region:
            continue  # partly scrolled out of view: the scrollbar is the sign
        area = region.shrink(widget.styles.gutter)
        shown = "".join(
            "".join(row[area.x : area.right])
            for row in grid[area.y : area.bottom]
            if 0 <= area.y < len(grid)
        )
        if _squeeze(text) in _squeeze(shown) or ELLIPSIS in shown:
            continue
        name = f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__
        found.append(f"{name}: {text.strip()[:60]!r} shown as {shown.strip()[:60]!r}")
    return found


def _cut_options(
    options: OptionList, region: Region, clip: Region, grid: list[list[str]]
) -> list[str]:
    """Options wholly in view whose text is not all in the lines the list gave them
    (the list measured a height and drew the option at another width: `you?` lost)."""
    area = clip.intersection(region).shrink(options.styles.gutter + options.scrollbar_gutter)
    heights, starts = options._heights, options._index_to_line
    found: list[str] = []
    for index, option in enumerate(options.options):
        if index not in starts or index not in heights:
            continue
        top = region.y + options.styles.gutter.top + starts[index] - round(options.scroll_y)
        if top < area.y or top + heights[index] > area.bottom:
            continue
        shown = "".join(
            "".join(row[area.x : area.right]) for row in grid[top : top + heights[index]]
        )
        text = str(option.prompt)
        if _squeeze(text) not in _squeeze(shown) and ELLIPSIS not in shown:
            found.append(
                f"OptionList#{options.id} option {index}: {text[-40:]!r} "
                f"shown as {shown.strip()[-40:]!r}"
            )
    return found


def punctuation_problems(lines: list[str]) -> list[str]:
    """Lines where a piece of text starts with closing or ends with opening punctuation."""
    bad: list[str] = []
    for number, line in enumerate(lines):
        if _STARTS.search(line) or _ENDS.search(line):
            bad.append(f"line {number}: {line.rstrip()}")
    return bad


def ui_words() -> set[str]:
    """Words of the English UI strings that their Chinese translations do not use."""
    i18n.set_language("zh")
    try:
        table = {m: i18n._(m) for m in i18n.msgids("zh")}
    finally:
        i18n.set_language("en")
    chinese_side = {w.lower() for zh in table.values() for w in _WORD.findall(zh)}
    english = {
        w.lower() for msgid in table for w in _WORD.findall(re.sub(r"\{[^{}]*\}", " ", msgid))
    }
    return english - chinese_side - KEY_WORDS


def english_words(lines: list[str], ui: set[str], allowed: set[str]) -> set[str]:
    """English UI words on a Chinese screen (data words in `allowed` excepted)."""
    lines = [_IDENTIFIER.sub(" ", line) for line in lines]  # help's action ids: keymap names
    words = {w.lower() for line in lines for w in _WORD.findall(line)}
    return (words & ui) - {a.lower() for a in allowed}


Walks = dict[tuple[str, str], "dict[str, Shot] | BaseException"]


def walk_once(
    walks: Walks, key: tuple[str, str], walk: Callable[[], dict[str, Shot]], dump_prefix: str = ""
) -> dict[str, Shot]:
    """The shots of one (size, language), walked once for all its tests: a walk that
    fails fails each of its tests with its error, without walking again. SWEEP_DUMP=DIR
    writes each screen's text there."""
    if key not in walks:
        try:
            walks[key] = walk()
        except Exception as exc:
            walks[key] = exc
        seen = walks[key]
        if (dump := os.environ.get("SWEEP_DUMP")) and isinstance(seen, dict):
            size, language = key
            for name, shot in seen.items():
                Path(dump, f"{dump_prefix}{size}-{language}-{name}.txt").write_text(
                    "\n".join(shot.lines)
                )
    seen = walks[key]
    if isinstance(seen, BaseException):
        raise seen
    return seen


def whole_text(screen: str, shot: Shot) -> str:
    """The screen's text, after what every sweep checks first: nothing cut without a
    sign, no Chinese punctuation at a line's edge."""
    assert shot.cut == [], f"text cut without a sign on {screen}:\n" + "\n".join(shot.cut)
    bad = punctuation_problems(shot.lines)
    assert bad == [], "Chinese punctuation at a line's edge:\n" + "\n".join(bad)
    return "\n".join(shot.lines)
