"""The bottom line: the keys that work here, as the keymap has them right now.

One Static instead of Textual's Footer: the Footer builds a widget per key and cost
~250 ms of start-up across the screens; this renders one line of text.

Hints are whole or absent, never cut in half. What fits is decided in
agent_console/key_hints.py: the screen keys (F1-F12) always stay in sight, at 80
columns in Chinese too, with shorter labels or the key alone; local keys give way first.
A dialog (screens/dialog.py) has a bar of its own that shows its keys only.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.content import Content
from textual.widgets import Static

from agent_console.actions import BY_ID
from agent_console.i18n import _
from agent_console.key_hints import Hint, Shown, fit_hints, key_order
from agent_console.screens.keys import key_display


def _drawn(shown: Shown) -> Content:
    if not shown.label:
        return Content.assemble((shown.key, "bold reverse"), " ")
    return Content.assemble((f" {shown.key} ", "bold reverse"), f" {shown.label} ")


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

    _shown: tuple[int, tuple[Hint, ...]] | None = None  # (width, hints) drawn last

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh_keys())
        self.refresh_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_keys()

    def hints(self) -> list[Hint]:
        """Every key shown here: this screen's first, then the screen keys in key order."""
        local: dict[str, Hint] = {}
        screen: dict[str, tuple[tuple[int, int, str], Hint]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in local or binding.action in screen:
                continue
            spec = BY_ID.get(binding.id or "")
            short = _(spec.short) if spec is not None and spec.short else ""
            description = _(binding.description)
            if active.node is self.app:
                hint = Hint(binding.id or "", key_display(key), description, short, True)
                screen[binding.action] = (key_order(key), hint)
            else:
                hint = Hint(binding.id or "", key_display(key), description, short, False)
                local[binding.action] = hint
        in_order = [hint for _order, hint in sorted(screen.values(), key=lambda item: item[0])]
        hints = [*local.values(), *in_order]
        own = getattr(self.screen, "key_hints", None)  # a dialog's (screens/dialog.py)
        return cast("list[Hint]", own(hints)) if callable(own) else hints

    def redraw_words(self) -> None:
        """The language changed (screens/language.py): the labels in the new one, on
        whichever screen this bar is, a dialog's included."""
        self.refresh_keys()

    def refresh_keys(self) -> None:
        if not self.app.is_running or not self.app.screen_stack:
            return  # shutting down: a late resize finds no screen to ask for bindings
        width = self.size.width or self.app.size.width
        hints = self.hints()
        if (width, tuple(hints)) == self._shown:
            return  # the same line (a resize, a focus change): not fitted, laid out again
        self._shown = (width, tuple(hints))
        parts = [_drawn(shown) for shown in fit_hints(hints, width)]
        self.update(Content.assemble(*parts) if parts else Content(""))
