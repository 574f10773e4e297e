"""The in-process event bus behind `GET /api/v1/events` (Server-Sent Events).

One process (SQLite) uses this bus as it is; several processes on PostgreSQL use
SharedEventBus (server/shared_events.py), the same interface through the database.

Any part of the backend publishes `publish(event_type, payload, audience)`: an
incoming call for one agent, a ticket update for a role, a notice for everyone.
Each open stream subscribes with the agent's tags (`agent:<id>`, `role:<role>`,
`all`) and receives what is addressed to any of them.

Publishing is thread-safe (sync routes run in a thread pool): events are handed to
each subscriber's event loop with `call_soon_threadsafe`. A bounded replay buffer
lets a console that reconnects with `Last-Event-ID` catch up on what it missed,
as long as the server did not restart (ids carry the server's boot id, so an id
from a previous run is recognised and not replayed against).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from agent_console.server.session_cache import SessionCache

EVERYONE = "all"
#: A wall screen's stream hears the board and nothing else (no notices for everyone,
#: nothing addressed to it as an agent): only what is addressed to its role.
WALL_ROLE = "wall"
#: Events after which a stream asks at once whether its session still holds (a
#: supervisor signed the seat out: the event says why, then the stream ends).
SESSION_ENDING = frozenset({"signed_out"})


def for_agent(agent_id: str) -> str:
    return f"agent:{agent_id}"


def for_role(role: str) -> str:
    return f"role:{role}"


def tags_of(agent: dict[str, Any]) -> frozenset[str]:
    """What a signed-in agent's stream listens to."""
    if agent["role"] == WALL_ROLE:
        return frozenset({for_role(WALL_ROLE)})
    return frozenset({EVERYONE, for_agent(str(agent["id"])), for_role(str(agent["role"]))})


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    data: dict[str, Any]
    audience: frozenset[str]

    def wire(self) -> str:
        """The event as SSE text: id, event type, one JSON data line, blank line."""
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.type}\ndata: {data}\n\n"


class BoardListener(Protocol):
    """The wallboard's feed (server/board_feed.py): told what changed, it sends `board`."""

    def touch(self, agents: Iterable[str] = (), keys: Iterable[str] = ()) -> None: ...
    def stop(self) -> None: ...


class _Closed:
    """Put into a subscriber's queue when the bus closes (server shutting down)."""


CLOSED = _Closed()


class Subscription:
    def __init__(
        self,
        bus: EventBus,
        tags: frozenset[str],
        maxsize: int,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.bus = bus
        self.tags = tags
        self.loop = loop or asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event | _Closed] = asyncio.Queue(maxsize)
        self.overflowed = False
        self.cursor = 0  # the event number this stream starts after

    def wants(self, event: Event) -> bool:
        return not self.tags.isdisjoint(event.audience)

    def offer(self, item: Event | _Closed) -> None:
        """Runs in the subscriber's loop. A consumer that cannot keep up is cut off; it
        reconnects with Last-Event-ID and catches up from the replay buffer."""
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            self.bus.unsubscribe(self)

    async def next(self, timeout: float) -> Event | None:
        """The next event, or None after `timeout` seconds of silence (time for a ping).
        Raises StopAsyncIteration when the bus closed or the consumer fell behind."""
        if self.overflowed:
            raise StopAsyncIteration
        try:
            item = await asyncio.wait_for(self.queue.get(), timeout)
        except asyncio.TimeoutError:
            return None
        if isinstance(item, _Closed) or self.overflowed:
            raise StopAsyncIteration
        return item

    def close(self) -> None:
        self.bus.unsubscribe(self)


class EventBus:
    def __init__(self, replay: int = 512, queue_size: int = 256) -> None:
        self.boot = secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._published = 0
        self._lock = threading.Lock()
        self._recent: deque[tuple[int, Event]] = deque(maxlen=replay)
        self._subscribers: set[Subscription] = set()
        self._queue_size = queue_size
        self.closed = False
        self.board: BoardListener | None = None
        #: The process's session cache (server/session_cache.py), told of ended sessions.
        self.sessions: SessionCache | None = None

    # -- sessions ended ----------------------------------------------------------
    def revoke_sessions(self, token_hash: str | None = None, agent_id: str | None = None) -> None:
        """A session (or every session of an agent, or the agent's role) changed in the
        database: no process may answer from memory for it any more. One process: its
        own cache forgets it, done. (The shared bus tells every process, and returns
        when all of them have forgotten it or stopped trusting their caches.)"""
        self._forget(token_hash, agent_id)

    def _forget(self, token_hash: str | None, agent_id: str | None) -> None:
        if self.sessions is None:
            return
        if token_hash is not None:
            self.sessions.forget_token(token_hash)
        if agent_id is not None:
            self.sessions.forget_agent(agent_id)

    # -- what the wallboard counts changed ----------------------------------------
    def changed(self, agents: Iterable[str] = (), keys: Iterable[str] = ()) -> None:
        """Tell the wallboard's feed that these agents' rows and these parts ("queue",
        "hands", "overdue_callbacks") changed; nothing when no feed is attached."""
        if self.board is not None:
            self.board.touch(agents, keys)

    # -- publishing ------------------------------------------------------------
    def publish(
        self, event_type: str, payload: dict[str, Any], audience: str | Iterable[str] = EVERYONE
    ) -> Event:
        """Send `payload` as `event_type` to every stream listening to `audience`
        (`all`, `agent:<id>`, `role:<role>`, or several of them)."""
        tags = frozenset([audience] if isinstance(audience, str) else audience)
        with self._lock:
            n = self._published = next(self._counter)
            event = Event(self.event_id(n), event_type, dict(payload), tags)
            self._recent.append((n, event))
            targets = [s for s in self._subscribers if s.wants(event)]
        for sub in targets:
            self._deliver(sub, event)
        return event

    @staticmethod
    def _deliver(sub: Subscription, item: Event | _Closed) -> None:
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody to tell
            sub.loop.call_soon_threadsafe(sub.offer, item)

    # -- subscribing -------------------------------------------------------------
    def subscribe(self, tags: frozenset[str], last_event_id: str | None = None) -> Subscription:
        """A new subscription, already holding what it missed since `last_event_id`."""
        with self._lock:
            if self.closed:
                sub = Subscription(self, tags, 1)
                sub.offer(CLOSED)
                return sub
            resume = self._resume_point(last_event_id)
            probe = Subscription(self, tags, 1)
            missed = [
                e for n, e in self._recent if resume is not None and n > resume and probe.wants(e)
            ]
            # Room for all it missed on top of the usual queue: replaying more than the
            # queue holds would cut the stream off (offer() -> unsubscribe() takes this
            # same lock: a deadlock), and the console's reconnect would do it again.
            sub = Subscription(self, tags, self._queue_size + len(missed))
            sub.cursor = self._published if resume is None else resume
            for event in missed:
                sub.offer(event)
            self._subscribers.add(sub)
        return sub

    def event_id(self, number: int) -> str:
        """The wire id of event `number` (the boot id tells runs apart)."""
        return f"{self.boot}-{number}"

    def _resume_point(self, last_event_id: str | None) -> int | None:
        """The event number a reconnecting stream saw last, if it is from this run."""
        boot, _, number = (last_event_id or "").partition("-")
        if boot != self.boot or not number.isdigit():
            return None  # new, or from before a restart: nothing of that run survives
        return min(int(number), self._published)

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(sub)

    async def open_stream(
        self, tags: frozenset[str], last_event_id: str | None = None
    ) -> Subscription:
        """subscribe() for a request handler on the event loop: here it reads memory
        only, so it runs right away (the shared bus reads the database in a thread)."""
        return self.subscribe(tags, last_event_id)

    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def listening(self, tag: str) -> bool:
        """Whether any open stream would receive an event addressed to `tag`."""
        with self._lock:
            return any(tag in s.tags for s in self._subscribers)

    def close(self) -> None:
        """End every stream (server shutdown), so no connection holds the exit up."""
        if self.board is not None:
            self.board.stop()
        with self._lock:
            self.closed = True
            subs = list(self._subscribers)
            self._subscribers.clear()
        for sub in subs:
            self._deliver(sub, CLOSED)


async def sse_stream(
    sub: Subscription,
    hello: dict[str, Any],
    heartbeat: float,
    retry_ms: int = 2000,
    still_valid: Callable[[], Awaitable[bool]] | None = None,
) -> AsyncIterator[str]:
    """The text of one SSE response: a retry hint, a `hello` event (the stream is live),
    then events as they come and a comment line as a heartbeat during silence.

    `still_valid` is asked at every heartbeat (at most once a heartbeat while events
    flow): when it says no (the token was revoked or expired, the agent's role changed),
    the stream ends, and the console's reconnect is judged afresh."""
    try:
        yield f"retry: {retry_ms}\n\n"
        # Its id is where this stream starts: a console that drops before the next event
        # still resumes from here and gets what was published while it was away.
        yield Event(sub.bus.event_id(sub.cursor), "hello", hello, frozenset()).wire()
        checked = time.monotonic()
        while True:
            try:
                event = await sub.next(heartbeat)
            except StopAsyncIteration:
                return
            if still_valid is not None and (
                event is None or time.monotonic() - checked >= heartbeat
            ):
                checked = time.monotonic()
                if not await still_valid():
                    return
            yield ": ping\n\n" if event is None else event.wire()
            if event is not None and event.type in SESSION_ENDING and still_valid is not None:
                # Told why first, then ended at once, not a heartbeat later.
                checked = time.monotonic()
                if not await still_valid():
                    return
    finally:
        sub.close()
