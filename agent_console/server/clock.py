"""One notion of time for the server: UTC, ISO 8601, second precision, sortable as text.

Tests may set the server's clock from outside (`--clock-file`, an internal flag): the
time is then the ISO instant written in that file, read again whenever the file
changes, so a test can post events "25 seconds later" without waiting 25 seconds.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path


class FileClock:
    """The instant written in a file (re-read when the file changes; write a new file
    and rename it over the old one, so a change is always seen)."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._value = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        st = os.stat(self.path)
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)  # tests replace the file
        with self._lock:
            if stamp != self._seen:
                text = self.path.read_text().strip()
                self._value = datetime.fromisoformat(text.replace("Z", "+00:00"))
                self._seen = stamp
            return self._value


_source: FileClock | None = None


def read_from_file(path: str) -> None:
    """From now on the server's time is what `path` says (tests only)."""
    global _source
    _source = FileClock(path)


def now() -> datetime:
    if _source is not None:
        return _source().astimezone(timezone.utc).replace(microsecond=0)
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return iso(now())


def in_hours(hours: float) -> str:
    return iso(now() + timedelta(hours=hours))
