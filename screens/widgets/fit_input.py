"""An Input whose placeholder, when wider than the box, ends in "…" instead of being
cut mid-word ("2h · 30m · 18:00 · tomorro"): Textual's Input drops what does not fit."""

from __future__ import annotations

from typing import cast

from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input

from agent_console.linebreak import shorten

#: The placeholder's reactive (on the class, the descriptor itself).
PLACEHOLDER = cast("Reactive[str]", Input.placeholder)


class FitInput(Input):
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        full = self.placeholder
        short = shorten(full, width - 1)  # the last cell is the cursor's
        if y != 0 or self.value or short == full:
            return super().render_line(y)
        # The short text for this one drawing only: no watcher runs, no refresh queued.
        self.set_reactive(PLACEHOLDER, short)
        try:
            return super().render_line(y)
        finally:
            self.set_reactive(PLACEHOLDER, full)
