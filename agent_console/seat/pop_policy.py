"""When a call may open its card by itself: never under the agent's fingers.

An agent who is idle on a screen gets the card at once (the screen-pop). An agent who
is typing (a key within the last QUIET seconds, or the cursor in a field that holds
text) gets the call announced instead (the call strip and the terminal bell) and takes
it with a key: a pop that moved the focus mid-word would take the next keys and leave
half a sentence in the wrong place. No Textual here; the clock is injected.
"""

from __future__ import annotations

import time
from collections.abc import Callable

QUIET = 1.5  # seconds without a key before the agent counts as idle
POP, ANNOUNCE = "pop", "announce"


class PopPolicy:
    def __init__(self, clock: Callable[[], float] = time.monotonic, quiet: float = QUIET) -> None:
        self.clock = clock
        self.quiet = quiet
        self.last_key: float | None = None

    def key(self) -> None:
        """The agent pressed a key (any key, any screen)."""
        self.last_key = self.clock()

    def typing(self, field_has_text: bool = False) -> bool:
        recent = self.last_key is not None and self.clock() - self.last_key < self.quiet
        return recent or field_has_text

    def decide(self, field_has_text: bool = False) -> str:
        """POP (open the card now) or ANNOUNCE (strip + bell, the take key opens it)."""
        return ANNOUNCE if self.typing(field_has_text) else POP
