"""Switching the UI language at run time without losing what is on screen.

Labels were translated when they were composed; rather than recompose a screen (which
would throw away what the agent typed, the hits, the cursor), the switch finds every
label still showing a catalogue string in the old language and puts the new
language's string in its place. What was typed, and anything from the backend, is not
a catalogue string and stays as it is. Text built from a template ("3 hits") is
redrawn by its owner: screens may add to `ConsoleScreen.relabel()`, and a widget that
draws templates defines `redraw_words()`, called here.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from agent_console import i18n
from agent_console.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App


def _plain(value: object) -> str | None:
    """The text of a label if it is one plain run (no styled spans), else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, Content):
        return value.plain if not value.spans else None
    if isinstance(value, Text):
        return value.plain if not value.spans else None
    return None


#: The msgid each relabelled label had, by widget and place: after one switch the
#: label's msgid is known exactly, even where two msgids share a translation.
_MSGIDS: weakref.WeakKeyDictionary[DOMNode, dict[str, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Switch:
    """One language switch: the language the screens show now, and its text -> msgid."""

    old: str
    shown: dict[str, str] = field(default_factory=dict[str, str])

    @classmethod
    def from_current(cls) -> Switch:
        return cls(i18n.language(), i18n.back_to_msgids(i18n.language()))


def relabel_widgets(root: Widget, switch: Switch) -> int:
    """Translate again every catalogue string under `root` (shown in `switch.old`).
    Returns how many labels changed."""
    changed = 0
    old = i18n.catalogue(switch.old)
    shown = switch.shown

    def again(value: object, widget: DOMNode, place: str) -> str | None:
        text = _plain(value)
        if text is None:
            return None
        memo = _MSGIDS.setdefault(widget, {})
        msgid = memo.get(place)
        if msgid is None or old.gettext(msgid) != text:
            msgid = shown.get(text)
        if msgid is None:
            return None
        memo[place] = msgid
        return _(msgid)

    for widget in root.walk_children(with_self=True):
        for attr in ("border_title", "border_subtitle"):
            if (new := again(getattr(widget, attr), widget, attr)) is not None:
                setattr(widget, attr, new)
                changed += 1
        if isinstance(widget, Button):
            if (new := again(widget.label, widget, "label")) is not None:
                widget.label = new
                changed += 1
        elif isinstance(widget, Static):
            if (new := again(widget.content, widget, "content")) is not None:
                widget.update(Content(new))
                changed += 1
        elif isinstance(widget, Input):
            if (new := again(widget.placeholder, widget, "placeholder")) is not None:
                widget.placeholder = new
                changed += 1
        elif isinstance(widget, Select):
            if (new := again(widget.prompt, widget, "prompt")) is not None:
                widget.prompt = new
                changed += 1
        elif isinstance(widget, DataTable):
            changed += _relabel_columns(widget, again)
        redraw = getattr(widget, "redraw_words", None)
        if callable(redraw):  # a widget that draws text from templates draws it again
            redraw()
            changed += 1
    return changed


def _relabel_columns(table: DataTable, again: Callable[..., str | None]) -> int:
    changed = 0
    for key, column in table.columns.items():
        new = again(column.label, table, f"column:{key.value}")
        if new is not None:
            column.label = Text(new)
            if column.auto_width:  # sized to the old label: the new one would be cut
                column.content_width = max(column.content_width, cell_len(new))
            changed += 1
    if changed:
        # The table keeps its header row as drawn (Textual's render caches): without
        # this the new labels were there but not shown (tmux). A style update is the
        # public call that empties those caches.
        table.notify_style_update()
        table.refresh(layout=True)
    return changed


def switch_language(app: App[Any], language: str | None = None) -> str:
    """Show the UI in `language` (default: the other one) on every screen the app has."""
    switch = Switch.from_current()
    i18n.set_language(language or i18n.other_language())
    for screen in _all_screens(app):
        relabel = getattr(screen, "relabel", None)
        if callable(relabel):
            relabel(switch)
        else:
            relabel_widgets(screen, switch)
    publish = getattr(app, "publish_status", None)
    if callable(publish):
        publish()  # the status bars redraw their words
    return i18n.language()


def _all_screens(app: App) -> list[Widget]:
    """The screens of every mode (mounted ones), bottom to top."""
    seen: list[Widget] = []
    stacks = getattr(app, "_screen_stacks", {})  # Textual private; pinned below 9
    for stack in [*stacks.values(), app.screen_stack]:
        for screen in stack:
            if screen not in seen and screen.is_mounted:
                seen.append(screen)
    return seen
