"""The sign-in throttle's policy (issue 14).

At most `limit` passwords are checked per agent number and client address inside
`window`; then 429 with Retry-After until the oldest of those attempts leaves the
window. The seat's own address has its own count, so a stranger's guesses from
elsewhere do not lock an agent out at their seat; a successful sign-in starts that
count again. `per_address` failed sign-ins from one address, whatever the agent
number, stop spraying a few passwords over every number.

The count lives in the database (storage `reserve_login`), not in process memory:
every server process of a centre applies the same count, and an attempt is reserved
before its password is checked, so guesses sent at once cannot all slip through.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class LoginThrottle:
    limit: int = 5
    # A centre behind one NAT shares an address: 30 typos in 15 minutes across every
    # seat is far above what a shift start gives, and 2 guesses a minute for a sprayer.
    per_address: int = 30
    window: timedelta = timedelta(minutes=15)
    keep: timedelta = timedelta(days=1)  # attempts are kept this long (counted, then pruned)

    def since(self, now: datetime) -> datetime:
        return now - self.window

    def retry_after(
        self, failures: list[datetime], now: datetime, limit: int | None = None
    ) -> int | None:
        """Seconds to wait, or None when another attempt is allowed now."""
        limit = limit or self.limit
        recent = sorted((f for f in failures if f > self.since(now)), reverse=True)
        if len(recent) < limit:
            return None
        free_at = recent[limit - 1] + self.window
        return max(1, math.ceil((free_at - now).total_seconds()))


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


class Once:
    """Says yes once per key until its time runs out: a locked-out guesser gets one
    `login_throttled` audit row per lock, not one per request. Per process, bounded."""

    def __init__(self, size: int = 10_000) -> None:
        self._until: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()
        self._size = size

    def first(self, key: tuple[str, ...], seconds: float) -> bool:
        moment = time.monotonic()
        with self._lock:
            if self._until.get(key, 0.0) > moment:
                return False
            if len(self._until) >= self._size:
                self._until = {k: t for k, t in self._until.items() if t > moment}
                if len(self._until) >= self._size:
                    self._until.clear()
            self._until[key] = moment + seconds
            return True
