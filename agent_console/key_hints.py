"""Which keys the key bar shows, and in which form, in a given number of cells.

The screen keys (F1-F12, or the keymap's own) are how an agent finds every screen, so
they stay in sight at 80 columns in both languages: when the line is too long, labels
get shorter first, then keys are shown without a label, and a local key (Esc Clear,
Ctrl+N New caller) is always dropped before a screen key. Widths are terminal cells
(a Chinese character is two). No Textual here: the bar only draws what this decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from agent_console.actions import ActionSpec

#: The hint kept whatever the width: it leads to all the others.
ALWAYS = "app.help"

FULL, SHORT, KEY_ONLY, DROPPED = 0, 1, 2, 3


@dataclass(frozen=True)
class Hint:
    """One key as the bar could show it: `label` whole, `short` when room is scarce."""

    action_id: str
    key: str  # as printed on the keyboard: "F2", "Ctrl+N"
    label: str
    short: str
    screen: bool  # a screen key (works everywhere), kept before any local key


@dataclass(frozen=True)
class Shown:
    """A hint as drawn: its key, and its label or "" for the key alone."""

    key: str
    label: str


def shown_width(shown: Shown, measure: Callable[[str], int] = cell_len) -> int:
    """Cells one hint takes: ` KEY ` then ` label `; a key alone is `KEY` and a space."""
    if not shown.label:
        return measure(shown.key) + 1
    return measure(shown.key) + 2 + measure(shown.label) + 2


def _form(hint: Hint, level: int) -> Shown | None:
    if level == DROPPED:
        return None
    if level == KEY_ONLY:
        return Shown(hint.key, "")
    return Shown(hint.key, hint.short if level == SHORT and hint.short else hint.label)


def _steps(hints: Sequence[Hint]) -> list[tuple[int, int]]:
    """(hint index, new level), in the order the line gives way: short labels (local
    keys first), then screen keys without labels, then local keys without labels,
    then local keys dropped, last screen keys dropped; always from the right end."""
    local = [i for i in reversed(range(len(hints))) if not hints[i].screen]
    screen = [
        i for i in reversed(range(len(hints))) if hints[i].screen and hints[i].action_id != ALWAYS
    ]
    helper = [i for i, h in enumerate(hints) if h.action_id == ALWAYS]
    steps = [(i, SHORT) for i in local + screen + helper]
    steps += [(i, KEY_ONLY) for i in screen]
    steps += [(i, KEY_ONLY) for i in local]
    steps += [(i, KEY_ONLY) for i in helper]
    steps += [(i, DROPPED) for i in local]
    steps += [(i, DROPPED) for i in screen]
    return steps


def fit_hints(
    hints: Sequence[Hint], width: int, measure: Callable[[str], int] = cell_len
) -> list[Shown]:
    """The hints to draw in `width` cells, in their order, each whole (never cut)."""
    levels = [FULL] * len(hints)

    def cells(index: int) -> int:
        shown = _form(hints[index], levels[index])
        return 0 if shown is None else shown_width(shown, measure)

    # Each step changes one hint: its width is measured again, not the whole line's.
    widths = [cells(i) for i in range(len(hints))]
    total = sum(widths)
    for index, level in _steps(hints):
        if total <= width:
            break
        levels[index] = max(levels[index], level)
        total -= widths[index]
        widths[index] = cells(index)
        total += widths[index]
    return [s for h, lv in zip(hints, levels, strict=True) if (s := _form(h, lv)) is not None]


_FKEY = re.compile(r"f(\d+)")


def key_order(keys: str) -> tuple[int, int, str]:
    """A sort key for keymap keys ("f2", "ctrl+f12", "escape", "alt+7,f7"): plain
    function keys in number order (F2 before F10), then modified function keys, then
    the rest by name. The first key of a list decides."""
    first = keys.split(",")[0].strip().lower()
    *mods, name = first.split("+") if first else [""]
    match = _FKEY.fullmatch(name)
    if match:
        return (1 if mods else 0, int(match.group(1)), first)
    return (2, 0, first) if first else (3, 0, "")


def help_order(specs: Sequence[ActionSpec], keys: Mapping[str, str]) -> list[ActionSpec]:
    """The actions as help (F1) lists them: the keys that work everywhere first, then
    each screen's in the catalogue's order of screens; within each, in key order (F2 ..
    F12 by number), so an agent reads the function keys as they lie on the keyboard."""
    scopes: list[str] = ["app"]
    for spec in specs:
        if spec.scope not in scopes:
            scopes.append(spec.scope)
    rank = {scope: i for i, scope in enumerate(scopes)}
    return sorted(specs, key=lambda s: (rank[s.scope], key_order(keys.get(s.id, ""))))
