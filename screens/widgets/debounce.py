"""Search as you type: wait a few milliseconds after a keystroke, then search once."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget


class Debounce:
    """Runs the latest scheduled call after `delay_ms`; a new schedule replaces it."""

    def __init__(self, owner: Widget, delay_ms: Callable[[], int]) -> None:
        self._owner = owner
        self._delay_ms = delay_ms
        self._timer: Timer | None = None
        self._pending: Callable[[], object] | None = None

    def schedule(self, call: Callable[[], object]) -> None:
        self.cancel()
        delay = self._delay_ms() / 1000
        if delay <= 0:
            call()
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
