"""The bottom line: the keys that work here, as the keymap has them right now.

One Static instead of Textual's Footer: the Footer builds a widget per key and cost
~250 ms of start-up across the screens; this renders one line of text.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from screens.keys import key_display


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

    def refresh_keys(self) -> None:
        shown: dict[str, tuple[str, str, bool]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in shown:
                continue
            app_level = active.node is self.app
            shown[binding.action] = (key, binding.description, app_level)
        # What this screen does first, then the keys that work everywhere.
        ordered = sorted(shown.values(), key=lambda item: item[2])
        parts = []
        for key, description, _app_level in ordered:
            parts.append(
                Content.assemble((f" {key_display(key)} ", "bold reverse"), f" {description} ")
            )
        self.update(Content.assemble(*parts) if parts else Content(""))
