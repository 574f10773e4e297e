"""The `board` event: what changed on the wallboard, sent to supervisors and wall screens.

Whatever changes a figure (a call rings, is answered or ends; an agent's state, sign-in
or sign-out; a hand raised or answered; a ticket's callback) tells the event bus
(`bus.changed(agents, keys)`), which tells this feed. The feed's thread gathers the
changes and publishes at most one event per `interval` (4 a second by default): a
PARTIAL board document with the changed agents' rows and the parts named, plus "at"
(server/board.py computes them). The first change after a quiet spell goes out at once.

Overdue callbacks also change by the clock alone (a due time passes): every
`overdue_every` seconds the feed compares them with what it last sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from agent_console.server import board
from agent_console.server.clock import now
from agent_console.server.event_bus import EventBus, for_role
from agent_console.server.storage import Storage

log = logging.getLogger("agent_console.server.board")

BOARD = "board"
AUDIENCE = (for_role("supervisor"), for_role("wall"))
KEYS = frozenset({"agents", "queue", "hands", "overdue_callbacks"})
ALL_AGENTS = "*"  # touch(agents=[ALL_AGENTS]): every agent's row


class BoardFeed:
    """Coalesces board changes into `board` events; see the module docstring."""

    def __init__(
        self,
        storage: Storage,
        bus: EventBus,
        service_level_s: float,
        interval: float = 0.25,
        overdue_every: float = 15.0,
    ) -> None:
        self.storage = storage
        self.bus = bus
        self.service_level_s = service_level_s
        self.interval = interval
        self.overdue_every = overdue_every
        self._lock = threading.Lock()
        self._agents: set[str] = set()
        self._keys: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._last_overdue: list[Any] | None = None
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="board-feed", daemon=True)

    def start(self) -> BoardFeed:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def touch(self, agents: Iterable[str] = (), keys: Iterable[str] = ()) -> None:
        """Note a change; the event follows within `interval` (thread-safe, no I/O)."""
        with self._lock:
            self._agents.update(agents)
            self._keys.update(k for k in keys if k in KEYS)
            if self._agents or self._keys:
                self._wake.set()

    # -- the feed's thread -------------------------------------------------------------
    def _run(self) -> None:
        sent = next_overdue = 0.0
        while not self._stop.is_set():
            woke = self._wake.wait(max(0.0, next_overdue - time.monotonic()))
            if self._stop.is_set():
                return
            if not woke:  # the clock alone may have made callbacks overdue
                next_overdue = time.monotonic() + self.overdue_every
                self._guard(self._check_overdue)
                continue
            delay = sent + self.interval - time.monotonic()
            if delay > 0 and self._stop.wait(delay):  # coalesce what comes meanwhile
                return
            with self._lock:
                self._wake.clear()
                agents, keys = self._agents, self._keys
                self._agents, self._keys = set(), set()
            sent = time.monotonic()
            self._guard(self.publish, agents, keys)

    def _guard(self, work: Callable[..., None], *args: Any) -> None:
        try:
            work(*args)
        except Exception as exc:  # the database away, ...: the next change tries again
            if not self._failing:  # one warning per failing spell, not one per change
                log.warning("board event not sent (%s); trying at the next change", exc)
            log.debug("board event not sent", exc_info=True)
            self._failing = True
        else:
            self._failing = False

    def publish(self, agents: set[str], keys: set[str]) -> None:
        """One `board` event with `keys` and the rows of `agents`."""
        keys = set(keys)
        ids: list[str] | None = None
        if agents:
            keys.add("agents")
            ids = None if ALL_AGENTS in agents else sorted(agents)
        if not keys:
            return
        doc = board.document(self.storage, now(), self.service_level_s, keys, agent_ids=ids)
        doc.pop("service_level_s", None)
        if doc.get("agents") == []:
            del doc["agents"]  # none of them is on the board (a trainee, a station): no news
        if not KEYS & doc.keys():
            return
        if "overdue_callbacks" in doc:
            self._last_overdue = doc["overdue_callbacks"]
        self.bus.publish(BOARD, doc, AUDIENCE)

    def _check_overdue(self) -> None:
        current = board.overdue_by_station(self.storage.board_overdue(board.iso(now())))
        if self._last_overdue is None:
            self._last_overdue = current  # the first look: nothing to compare with
        elif current != self._last_overdue:
            self.touch([ALL_AGENTS], ["overdue_callbacks"])  # agents' counts too
