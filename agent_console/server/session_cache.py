"""The signed-in agent behind a token, remembered for a moment by the process.

Every request of a signed-in agent read its session (sessions JOIN agents) before
anything else: on SQLite a tenth of the server's CPU under bench/centre (py-spy,
SqlCore.one) plus a hand-off to the thread pool and back; on PostgreSQL a round trip
as well. An agent typing a lookup sends 4-6 searches within two seconds, so the same
session was read again and again. Now a hit here is answered on the event loop.

What this may cost, and where it is bounded:
- An entry lives at most `ttl` seconds and never past the session's own `expires_at`
  (compared as the database compares it), so expiry is exact.
- A sign-out, a supervisor's sign-out of a seat and a role change forget the token or
  the agent at once in the process that made them (the routes call `forget_*`).
- On PostgreSQL several processes serve one centre, and a session ended in one must be
  refused at once by all. There the ending goes through the shared event bus
  (server/shared_events.py, `revoke_sessions`): every process's listener forgets it,
  and the process that ended it answers only once every listener has either done so or
  stopped trusting its cache (`fresh`: the listener's lease, see LEASE_S there). While
  a process's listener is not connected and caught up, its cache answers nothing.
- A read that started before a session ended must not put it back afterwards: `put`
  takes the `generation` read before the database was asked and is dropped when
  anything was forgotten since.
Event streams do not use the cache. Only found sessions are kept (an unknown token is
read every time: nothing to spare).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

#: Seconds an entry is trusted without reading the database again. Every change the
#: server makes to a session or to what is kept of its agent (sign-outs, role changes)
#: counts at once in every process (`forget_*`, the shared bus); this bounds only what
#: is changed in the database behind the server's back. 10 s holds one call's lookup
#: (4-6 searches and the card as the agent types); 2 s ran out in the middle of one,
#: so each worker read the session again for most calls (py-spy under bench/centre:
#: the session read still ~11% of the PostgreSQL workers' samples).
SESSION_TTL_S = 10.0
#: Entries kept at most (a centre has ~1,000 seats); the oldest go first.
MAX_ENTRIES = 4096


class SessionCache:
    """token hash -> (agent row with its `expires_at`, monotonic time it stops)."""

    def __init__(
        self,
        ttl: float = SESSION_TTL_S,
        size: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
        fresh: Callable[[], bool] | None = None,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        #: Whether this process would hear of a session ended elsewhere (None: it is
        #: the only process). When it says no, nothing is answered from memory.
        self.fresh = fresh
        #: Counts what was forgotten: a row read before a forget is not kept after it.
        self.generation = 0
        self._rows: dict[str, tuple[dict[str, Any], float]] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str, now_iso: str) -> dict[str, Any] | None:
        """A copy of the agent (routes may add to it), or None: unknown, too old, or
        the session expired by `now_iso` (the same string compare as the SQL's)."""
        if self.ttl <= 0 or (self.fresh is not None and not self.fresh()):
            return None
        entry = self._rows.get(token_hash)
        if entry is None:
            return None
        row, until = entry
        if self.clock() >= until or not str(row.get("expires_at", "")) > now_iso:
            with self._lock:
                if self._rows.get(token_hash) is entry:
                    del self._rows[token_hash]
            return None
        return dict(row)

    def put(self, token_hash: str, row: dict[str, Any], generation: int) -> None:
        """Remember `row`, read after `generation` was taken; not if anything was
        forgotten since (that read may predate a sign-out)."""
        if self.ttl <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            self._rows.pop(token_hash, None)
            while len(self._rows) >= self.size:
                del self._rows[next(iter(self._rows))]
            self._rows[token_hash] = (dict(row), self.clock() + self.ttl)

    def forget_token(self, token_hash: str) -> None:
        with self._lock:
            self.generation += 1
            self._rows.pop(token_hash, None)

    def forget_agent(self, agent_id: str) -> None:
        """Every session of the agent (a sign-out of the seat, a role change)."""
        with self._lock:
            self.generation += 1
            for key in [k for k, (row, _) in self._rows.items() if row.get("id") == agent_id]:
                del self._rows[key]

    def clear(self) -> None:
        """Forget everything (the listener lost its connection: ends may be missed)."""
        with self._lock:
            self.generation += 1
            self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)
