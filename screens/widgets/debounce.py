"""Search as you type: the first key after a pause searches at once; keys that follow
it within a few milliseconds (a burst) wait, and only the last of them searches."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget


class Debounce:
    """Leading and trailing: a call after `delay_ms` of quiet runs now; calls inside
    that window replace each other and the latest runs when the window closes.

    An agent who pauses, then types the last digit, sees hits one round trip later,
    not one round trip plus the delay (bench lookup: console column)."""

    def __init__(self, owner: Widget, delay_ms: Callable[[], int]) -> None:
        self._owner = owner
        self._delay_ms = delay_ms
        self._timer: Timer | None = None
        self._pending: Callable[[], object] | None = None
        self._last = float("-inf")

    def schedule(self, call: Callable[[], object]) -> None:
        delay = self._delay_ms() / 1000
        now = time.monotonic()
        quiet = self._timer is None and now - self._last >= delay
        self._last = now
        self.cancel()
        if delay <= 0 or quiet:
            call()
            if delay > 0:  # open the window: keys right behind this one wait
                self._timer = self._owner.set_timer(delay, self._fire)
            return
        self._pending = call
        self._timer = self._owner.set_timer(delay, self._fire)

    def _fire(self) -> None:
        call, self._pending, self._timer = self._pending, None, None
        if call is not None:
            call()

    def flush(self) -> bool:
        """Run a waiting call now (Enter pressed before the delay ran out)."""
        if self._pending is None:
            return False
        if self._timer is not None:
            self._timer.stop()
        self._fire()
        return True

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self._pending = None
