"""The bottom line: the keys that work here, as the keymap has them right now.

One Static instead of Textual's Footer: the Footer builds a widget per key and cost
~250 ms of start-up across the screens; this renders one line of text.

Hints are whole or absent: on a narrow terminal (80 columns, Chinese descriptions are
double width) the ones that do not fit are left out, never cut in half, and the help
key always stays, since help lists every key.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.screens.keys import key_display

#: The hint kept whatever the width: it leads to all the others.
ALWAYS = "app.help"


def fit_hints(hints: list[tuple[str, str, str]], width: int) -> list[tuple[str, str, str]]:
    """The (binding id, key, description) hints to show in `width` cells: in order,
    each whole, the help hint kept; one too wide for what is left is skipped and a
    shorter one after it may still fit (the screen's own keys come first)."""
    keep = [h for h in hints if h[0] == ALWAYS]
    room = width - sum(_hint(h).cell_length for h in keep)
    chosen: list[tuple[str, str, str]] = []
    for hint in hints:
        if hint[0] == ALWAYS:
            continue
        size = _hint(hint).cell_length
        if size <= room:
            chosen.append(hint)
            room -= size
    return chosen + keep


def _hint(hint: tuple[str, str, str]) -> Content:
    _id, key, description = hint
    return Content.assemble((f" {key} ", "bold reverse"), f" {description} ")


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh_keys())
        self.refresh_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_keys()

    def hints(self) -> list[tuple[str, str, str]]:
        """Every key shown here: this screen's first, then the keys that work everywhere."""
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in shown:
                continue
            app_level = active.node is self.app
            shown[binding.action] = (binding.id or "", key, binding.description, app_level)
        ordered = sorted(shown.values(), key=lambda item: item[3])
        return [(i, key_display(key), _(desc)) for i, key, desc, _app in ordered]

    def refresh_keys(self) -> None:
        if not self.app.is_running or not self.app.screen_stack:
            return  # shutting down: a late resize finds no screen to ask for bindings
        width = self.size.width or self.app.size.width
        parts = [_hint(h) for h in fit_hints(self.hints(), width)]
        self.update(Content.assemble(*parts) if parts else Content(""))
