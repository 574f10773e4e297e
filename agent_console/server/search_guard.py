"""Caller searches have a budget and leave a trace (issue 14: the mask could be walked
by number-prefix searches, with no limit and no audit row).

Budget: a token bucket per agent, `burst` searches at once and `per_minute` after.
Sized from the work: search-as-you-type sends one request per keystroke or so (the
console's debounce is 30 ms), ~5 for a name and up to ~11-15 for a full mobile number
with a correction, and a 114 agent takes a call every 8-10 s: at most ~15 per 8 s,
about 110 a minute. bench/centre sends 4-6 per call every 8-10 s (at most 45 a
minute) per seat, one agent per seat. So 120 a minute with a burst of 60 never
touches real work, and walking masked numbers at ~20 searches each is held to about
six numbers a minute, each search written to the audit log. The bucket lives in the
process (a database write per search would cost more than the search): with N
workers an agent could reach N times the rate, each worker still writing the trail.

Trace: every search with `audit_digits` or more digits is written to the audit log
(`caller_search`, who, when, what was typed). Rows are batched and written by a
background thread every `flush_s` (one transaction, not an fsync per search).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent_console.server.clock import now_iso

log = logging.getLogger("agent_console.server.search_guard")


@dataclass(frozen=True)
class SearchBudget:
    per_minute: float = 120.0
    burst: int = 60
    audit_digits: int = 7
    flush_s: float = 0.25


def digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class SearchLimiter:
    """Token buckets per agent id; `take` says how long to wait, or None to go."""

    def __init__(self, budget: SearchBudget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, agent_id: str) -> int | None:
        rate = self.budget.per_minute / 60.0
        moment = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(agent_id, (float(self.budget.burst), moment))
            tokens = min(float(self.budget.burst), tokens + (moment - last) * rate)
            if tokens < 1.0:
                self._buckets[agent_id] = (tokens, moment)
                return max(1, math.ceil((1.0 - tokens) / rate)) if rate > 0 else 60
            self._buckets[agent_id] = (tokens - 1.0, moment)
            return None


class AuditTrail:
    """Audit rows written in batches by one background thread."""

    def __init__(self, storage: Any, every: float) -> None:
        self.storage = storage
        self.every = every
        self._rows: list[tuple[str, str | None, str, str, str]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def add(self, agent_id: str, action: str, target: str, detail: str) -> None:
        with self._lock:
            self._rows.append((now_iso(), agent_id, action, target, detail))
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="audit-trail", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            try:
                self.storage.audit_rows(rows)
            except Exception:  # the next flush tries again; never lose them silently
                log.exception("writing %d audit rows failed; will retry", len(rows))
                with self._lock:
                    self._rows[:0] = rows

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.every)
            self.flush()


def guard_search(request: Any, agent: dict[str, Any], query: str) -> None:
    """Spend one search of the agent's budget (ApiError 429 when it is spent) and put
    a number search on the audit trail."""
    from agent_console.server.errors import ApiError

    state = request.app.state
    wait = state.search_limiter.take(agent["id"])
    if wait is not None:
        raise ApiError(
            429,
            "too_many_searches",
            f"too many searches; wait {wait} s",
            headers={"Retry-After": str(wait)},
        )
    if digit_count(query) >= state.search_limiter.budget.audit_digits:
        state.search_audit.add(agent["id"], "caller_search", "", query)
