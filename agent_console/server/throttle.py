"""Failed sign-ins slow a guesser down: after `limit` failures for one agent number
inside `window`, further attempts get 429 with Retry-After until the oldest of those
failures leaves the window. A successful sign-in starts the count again.

Engine-independent and kept in the database (the audit log), not in process memory,
so every server process of a centre applies the same count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class LoginThrottle:
    limit: int = 5
    window: timedelta = timedelta(minutes=15)

    def since(self, now: datetime) -> datetime:
        return now - self.window

    def retry_after(self, failures: list[datetime], now: datetime) -> int | None:
        """Seconds to wait, or None when another attempt is allowed now."""
        recent = sorted((f for f in failures if f > self.since(now)), reverse=True)
        if len(recent) < self.limit:
            return None
        free_at = recent[self.limit - 1] + self.window
        return max(1, math.ceil((free_at - now).total_seconds()))


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
