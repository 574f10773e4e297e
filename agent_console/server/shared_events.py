"""The event bus of a PostgreSQL centre: events cross server processes through the
database itself (an events table plus LISTEN/NOTIFY), not through a broker.

`publish()` stores the event (INSERT + NOTIFY in one transaction; ids come from the
table, in commit order). Every process runs one listener thread with a dedicated
LISTEN connection: woken by a notification (or every `poll` seconds, in case a
connection died silently), it reads the rows after the last id it delivered, in id
order (on that same connection), and hands them to its own streams exactly as the
in-process bus does (the publishing process too: one delivery path, one order). A
dropped connection is reopened and the reader catches up from the table by id, so
nothing is lost. While the database is away the listener tries again every
RETRY_S (a short, fixed delay: events flow again within RETRY_S of its return).

Sessions ended in one process (a sign-out, a supervisor's sign-out of a seat, a role
change) reach every process's session cache (server/session_cache.py) the same way: a
`sessions_revoked` event addressed to no stream. A process trusts its cache only while
its listener holds a lease: the last catch-up read that *started* less than LEASE_S
ago went through (so it saw every event committed before it). The process that ends a
session answers LEASE_S after the event committed: by then every other process has
either read the event (and forgotten the session) or lost its lease (and reads every
session from the database again), so the request after the answer is refused by all.
A lost LISTEN connection clears the cache; nothing is answered from memory until the
listener is back and caught up.

Ids are the table's, so a console that reconnects with `Last-Event-ID` to any
process, even one started since, gets what it missed (audience-filtered) from the
table. The table is pruned (24 h or 100,000 rows by default) by every process now
and then.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from agent_console.server.event_bus import CLOSED, EVERYONE, Event, EventBus, Subscription
from agent_console.server.storage import Storage
from agent_console.server.storage.base import EventListener, EventStore, Row

log = logging.getLogger("agent_console.server.events")

#: Delay between tries to reopen the LISTEN connection while the database is away.
RETRY_S = 0.25
#: A process answers sessions from memory only this long after its listener's last
#: catch-up read started; a sign-out waits this long before it answers.
LEASE_S = 0.4
#: The event that tells every process to forget a token's or an agent's sessions.
SESSIONS_REVOKED = "sessions_revoked"


class SharedEventBus(EventBus):
    """EventBus whose events go through the database; see the module docstring."""

    def __init__(
        self,
        store: EventStore,
        *,
        replay: int = 200,
        queue_size: int = 256,
        poll: float = 2.0,
        keep_hours: float = 24.0,
        keep_rows: int = 100_000,
        prune_every: float = 600.0,
        lease: float = LEASE_S,
    ) -> None:
        super().__init__(replay=1, queue_size=queue_size)
        self.boot = "db"  # ids are the table's: they outlive any one process
        self._store = store
        self._replay_limit = min(replay, queue_size - 1)
        self._poll = poll
        self._keep = (keep_hours, keep_rows)
        self._prune_every = prune_every
        self._next_prune = 0.0
        self._lease = lease
        self._fresh_until = 0.0  # monotonic; see caught_up()
        self._published = self._delivered = store.latest()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-listener", daemon=True)
        self._thread.start()

    def event_id(self, number: int) -> str:
        return str(number)

    # -- publishing ------------------------------------------------------------
    def publish(
        self, event_type: str, payload: dict[str, Any], audience: str | Iterable[str] = EVERYONE
    ) -> Event:
        """Store the event; every process's listener (this one's too) delivers it."""
        tags = frozenset([audience] if isinstance(audience, str) else audience)
        number = self._store.append(event_type, dict(payload), tags)
        return Event(self.event_id(number), event_type, dict(payload), tags)

    # -- sessions ended ----------------------------------------------------------
    def caught_up(self) -> bool:
        """Whether this process would already have heard of a session ended elsewhere
        LEASE_S ago: the session cache answers only while this holds."""
        return time.monotonic() < self._fresh_until

    def revoke_sessions(self, token_hash: str | None = None, agent_id: str | None = None) -> None:
        """Forget here, tell every process, and return once none of them can still
        answer from memory for it: LEASE_S after the event committed (the caller is a
        route in the thread pool, and sign-outs are rare). Waited for even where this
        process keeps no cache: another process may keep one."""
        self._forget(token_hash, agent_id)
        payload = {"token": token_hash} if token_hash is not None else {}
        if agent_id is not None:
            payload["agent"] = agent_id
        self._store.append(SESSIONS_REVOKED, payload, ())
        time.sleep(self._lease * 1.05)  # a margin for clocks that tick at other rates

    # -- subscribing -------------------------------------------------------------
    async def open_stream(
        self, tags: frozenset[str], last_event_id: str | None = None
    ) -> Subscription:
        """subscribe() in a thread: the replay reads the events table, and a read that
        waits for the database must not hold the event loop (every stream, /health)."""
        loop = asyncio.get_running_loop()
        return await asyncio.to_thread(self.subscribe, tags, last_event_id, loop)

    def subscribe(
        self,
        tags: frozenset[str],
        last_event_id: str | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> Subscription:
        """A new subscription, already holding what it missed since `last_event_id`
        (replayed from the table, newest `replay` events at most)."""
        sub = Subscription(self, tags, self._queue_size, loop)
        resume = self._resume_point(last_event_id)
        if resume is not None and resume > self._delivered:
            # Seen on a worker whose listener is ahead of this one's: skip up to it
            # (no event twice), but not past the table's newest (another database).
            resume = min(resume, self._store.latest())
        # The replay is read without the lock (a read may wait for the database, and
        # the lock is also taken on the event loop when a stream ends), then checked
        # under it: joined only once it reaches what the listener has delivered, so
        # the listener's next event follows the replay with no gap and no repeat.
        replay: list[Row] = []
        fetched: int | None = None  # the replay holds the events up to this id
        while True:
            with self._lock:
                if self.closed:
                    sub.offer(CLOSED)
                    return sub
                upto = self._delivered
                start = upto if resume is None else resume
                if start >= upto or fetched == upto:
                    sub.cursor = start
                    for row in replay[-self._replay_limit :]:
                        sub.offer(_event(row))
                    self._subscribers.add(sub)
                    return sub
            after = start if fetched is None else fetched
            replay += self._store.after(after, upto, tags, self._replay_limit)
            fetched = upto

    def _resume_point(self, last_event_id: str | None) -> int | None:
        """The id a reconnecting stream saw last; None for a new stream or another
        engine's id."""
        text = (last_event_id or "").strip()
        return int(text) if text.isdigit() else None

    def close(self) -> None:
        self._stop.set()
        self._lapse()
        super().close()

    # -- the listener thread ----------------------------------------------------
    def _run(self) -> None:
        failing = False  # one warning per outage, not one per try
        while not self._stop.is_set():
            try:
                listener: EventListener = self._store.listener()
            except Exception as exc:
                if not failing:
                    log.warning("event listener cannot connect (%s); retrying", exc)
                failing = True
                self._stop.wait(RETRY_S)
                continue
            try:
                self._catch_up(listener)  # what was published while nobody here listened
                if failing:
                    log.warning("event listener connected again")
                failing = False
                wake = min(self._poll, self._lease / 4)  # the lease renewed in time
                while not self._stop.is_set():
                    listener.wait(wake)
                    self._catch_up(listener)
                    self._maybe_prune(listener)
            except Exception as exc:
                self._lapse()
                if not self._stop.is_set() and not failing:
                    log.warning("event listener lost its connection (%s); reconnecting", exc)
                failing = True
                self._stop.wait(RETRY_S)
            finally:
                try:
                    listener.close()
                except Exception:  # already broken: nothing to close cleanly
                    log.debug("closing a broken event listener", exc_info=True)

    def _catch_up(self, listener: EventListener, batch: int = 500) -> None:
        """Deliver every stored event after the last one delivered, in id order; then
        the lease runs from when this read started (it saw all committed before)."""
        started = time.monotonic()
        while not self._stop.is_set():
            rows = listener.after(self._delivered, limit=batch)
            for row in rows:
                self._dispatch(row)
            if len(rows) < batch:
                self._fresh_until = started + self._lease
                return

    def _lapse(self) -> None:
        """The listener is down: ends of sessions may be missed, so remember none."""
        self._fresh_until = 0.0
        if self.sessions is not None:
            self.sessions.clear()

    def _dispatch(self, row: Row) -> None:
        if row["type"] == SESSIONS_REVOKED:
            data = row["data"]
            self._forget(data.get("token"), data.get("agent"))
            with self._lock:
                self._published = self._delivered = int(row["id"])
            return
        event, number = _event(row), int(row["id"])
        with self._lock:
            self._published = self._delivered = number
            # A stream that resumed after an id this listener had not reached yet
            # already has the events up to it.
            targets = [s for s in self._subscribers if s.wants(event) and s.cursor < number]
        for sub in targets:
            self._deliver(sub, event)

    def _maybe_prune(self, listener: EventListener) -> None:
        if time.monotonic() < self._next_prune:
            return
        self._next_prune = time.monotonic() + self._prune_every
        dropped = listener.prune(*self._keep)
        if dropped:
            log.info("pruned %d old events", dropped)


def _event(row: Row) -> Event:
    return Event(str(row["id"]), str(row["type"]), dict(row["data"]), frozenset(row["audience"]))


def bus_for(storage: Storage) -> EventBus:
    """The engine chooses: in memory for one process (SQLite), through the database
    where several processes share it (PostgreSQL)."""
    store = storage.event_store()
    return EventBus() if store is None else SharedEventBus(store)
