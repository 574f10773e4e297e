"""Text in a one-line Static, updated only when it changed, with a layout pass of the
screen only when its width changed.

The call strip and the status bar redraw their parts every second, and Static.update
asks for a layout pass each time (the whole screen reflowed and the changed widgets
drawn again) even when the text is the same ("☎ no call") or as wide ("10:30:01"):
on the lookup screen that was a layout pass a second beside the hits being drawn as
the agent types (bench keys).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

#: The text each widget shows now (gone with the widget).
_SHOWN: WeakKeyDictionary[Static, str] = WeakKeyDictionary()


def show_text(widget: Static, text: str) -> None:
    """`text` in `widget`, re-laid out only if it takes another width than before."""
    shown = _SHOWN.get(widget)
    if shown == text:
        return
    _SHOWN[widget] = text
    widget.update(Content(text), layout=shown is None or cell_len(shown) != cell_len(text))
