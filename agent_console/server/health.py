"""Whether the database answers, for GET /health: asked at most once a second per
process (5 times a second while it does not), in a thread of its own, and never
waited for longer than PROBE_WAIT_S.

The event loop never blocks on it (so /health answers within a second even while the
database is away), a burst of health checks costs one database round trip, and a
thread pool full of requests waiting for the database does not delay the answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor

from agent_console.server.storage import Storage

log = logging.getLogger("agent_console.server")

PROBE_WAIT_S = 0.5  # a database slower than this to say SELECT 1 counts as unreachable
FRESH_S = 1.0  # a "reachable" this recent is reused
FRESH_DOWN_S = 0.2  # an "unreachable" only this long: the return shows at once


class DatabaseProbe:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="db-probe")
        self._pending: Future[bool] | None = None
        self._reachable = True
        self._at = -FRESH_S

    def _ping(self) -> bool:
        try:
            self._storage.ping()
        except Exception as exc:  # any failure means "not answering"; logged once below
            log.debug("database probe failed: %s", exc)
            return False
        return True

    async def reachable(self) -> bool:
        """True when the database answered a trivial query within PROBE_WAIT_S."""
        fresh = FRESH_S if self._reachable else FRESH_DOWN_S
        if time.monotonic() - self._at < fresh:
            return self._reachable
        if self._pending is None or self._pending.done():
            self._pending = self._executor.submit(self._ping)
        # asyncio.wait, not wait_for: a time-out must not cancel the shared probe.
        waiting = asyncio.wrap_future(self._pending)
        done, _ = await asyncio.wait({waiting}, timeout=PROBE_WAIT_S)
        reachable = bool(done) and waiting.result()
        if reachable != self._reachable:
            log.warning("database %s", "reachable again" if reachable else "unreachable")
        self._reachable, self._at = reachable, time.monotonic()
        return reachable
