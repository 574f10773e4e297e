"""Delivering the outbox: one sender per file, oldest entry first, backoff with jitter.

The store itself (what waits, refused entries, counts) is agent_console/outbox.py;
this is the part that talks to the backend, shared by the console
(agent_console/seat/outbox_service.py) and `agent-console outbox send`. No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from agent_console.client import BackendError, BackendUnavailable, Unauthorized
from agent_console.outbox import REFUSED, Counts, Entry, Outbox

# What one attempt came to (OutboxSender's on_change): besides REFUSED,
SENT, RETRY, SIGNED_OUT = "sent", "retry", "signed_out"
RETRY_STATUSES = frozenset({408, 429})  # a 4xx that means "later", not "no"

T = TypeVar("T")
log = logging.getLogger("agent_console.outbox")


class SenderLock:
    """An exclusive OS lock on `<outbox>.<backend+agent>.lock`: one sender per agent's
    entries, so two consoles of one agent never send the same entry twice, while each
    agent's console sends that agent's tickets (one agent's console holding the lock
    kept another agent's tickets waiting: issue 20, item 6).

    The kernel drops it when the process dies, SIGKILL included, so a crashed
    console never blocks the next one.
    """

    def __init__(self, outbox_path: Path, backend: str = "", agent_id: str = "") -> None:
        whose = hashlib.sha256(f"{backend}\n{agent_id}".encode()).hexdigest()[:16]
        self.path = Path(f"{outbox_path}.{whose}.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_fd(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def _lock_fd(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter: the n-th failed attempt waits a
    uniform random time in [0, min(cap, first * 2**(n-1))], so a hundred seats that
    lost the backend together do not all come back in the same second."""

    first: float = 1.0
    cap: float = 60.0

    def ceiling(self, attempts: int) -> float:
        return min(self.cap, self.first * 2.0 ** min(max(attempts - 1, 0), 62))

    def delay(self, attempts: int, rng: random.Random) -> float:
        return rng.uniform(0.0, self.ceiling(attempts))


Send = Callable[[Entry], Awaitable[object]]


class OutboxSender:
    """Delivers one (backend, agent)'s waiting entries, oldest first, for as long as it runs."""

    def __init__(
        self,
        outbox: Outbox,
        send: Send,
        *,
        backend: str,
        agent_id: str,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
        on_change: Callable[[Counts, Entry | None, str, str], None] | None = None,
        on_problem: Callable[[str | None], None] | None = None,
        lock_retry: float = 5.0,
        refresh: float = 5.0,
    ) -> None:
        self.outbox = outbox
        self.send = send
        self.backend, self.agent_id = backend, agent_id
        self.policy = policy or RetryPolicy()
        self.rng = rng or random.Random()
        self.clock = clock
        self.on_change = on_change
        self.on_problem = on_problem
        self.lock = SenderLock(outbox.path, backend, agent_id)
        self.lock_retry = lock_retry
        self.refresh = refresh  # idle: count again (another console or the CLI changed it)
        self.problem: str | None = None  # why sending is stuck here (unwritable folder...)
        self._wake = asyncio.Event()
        self._kick = False

    def wake(self, *, now: bool = True) -> None:
        """Look at the outbox again; `now`: try the oldest entry at once (the backend
        is back, or the agent signed in again) instead of waiting out its backoff."""
        self._kick = self._kick or now
        self._wake.set()

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)  # an fsync never blocks the UI's loop

    async def step(self) -> float | None:
        """One attempt at the oldest waiting entry, if it is due.

        Returns 0 to go on at once, the seconds until the oldest entry is due, or
        None when there is nothing to do until woken (empty, or signed out).
        """
        entry = await self._db(self.outbox.oldest_waiting, self.backend, self.agent_id)
        if entry is None:
            return None
        wait = entry.next_attempt_at - self.clock()
        if wait > 0 and not self._kick:
            return wait
        self._kick = False
        result: float | None = 0.0
        outcome, message = SENT, ""
        try:
            await self.send(entry)
        except BackendUnavailable as exc:
            outcome, message = RETRY, exc.message
            await self._later(entry, message, exc.retry_after)
        except Unauthorized as exc:
            # Not a refusal of the ticket: the sign-in ended. Wait to be woken.
            outcome, message, result = SIGNED_OUT, exc.message, None
            await self._db(self.outbox.note, entry.id, message)
        except BackendError as exc:
            if exc.status in RETRY_STATUSES:
                outcome, message = RETRY, exc.message
                await self._later(entry, message)
            else:
                outcome, message = REFUSED, _refusal(exc)
                await self._db(self.outbox.refuse, entry.id, exc.status, message)
        else:
            await self._db(self.outbox.delivered, entry.id)
        await self._changed(entry, outcome, message)
        return result

    async def _later(self, entry: Entry, error: str, retry_after: float | None = None) -> None:
        """Back off; never sooner than the server's Retry-After (a 503 during an outage)."""
        delay = self.policy.delay(entry.attempts + 1, self.rng)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.policy.cap))
        await self._db(self.outbox.postpone, entry.id, error, self.clock() + delay)

    async def _changed(self, entry: Entry | None, outcome: str = "", message: str = "") -> None:
        if self.on_change is not None:
            counts = await self._db(self.outbox.counts, self.backend, self.agent_id)
            self.on_change(counts, entry, outcome, message)

    async def _sleep(self, seconds: float | None) -> None:
        """Sleep until `seconds` pass or someone wakes the sender (a wake that came
        while a step ran is not lost: the event stays set until seen here)."""
        if not self._wake.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    def _trouble(self, problem: str | None) -> None:
        """Say (once) that sending is stuck and why, and when it works again."""
        if problem == self.problem:
            return
        if problem is None:
            log.info("outbox %s: sending again", self.outbox.path)
        else:
            log.warning("outbox %s: cannot send: %s", self.outbox.path, problem)
        self.problem = problem
        if self.on_problem is not None:
            self.on_problem(problem)

    async def run(self) -> None:
        """Send for as long as the console runs; only while holding the agent's lock.

        Nothing that goes wrong here (the lock file or the outbox unwritable, a full
        disk) ends the loop: it is reported through on_problem and the log, tried again
        with backoff, and cleared as soon as it works (issue 20, item 4).
        """
        failures = 0
        try:
            while True:
                try:
                    if not await self._db(self.lock.acquire):
                        await self._changed(None)  # another console sends: keep counting
                        self._trouble(None)
                        await self._sleep(self.lock_retry)
                        continue
                    delay = await self.step()
                    if delay is None:
                        await self._changed(None)
                        delay = self.refresh
                    self._trouble(None)
                    failures = 0
                except Exception as exc:  # reported; never the end of sending
                    failures += 1
                    self._trouble(f"{type(exc).__name__}: {exc}")
                    delay = self.policy.ceiling(failures)
                if delay != 0:
                    await self._sleep(delay)
        finally:
            self.lock.release()

    async def drain(self) -> None:
        """Send until nothing waits, or the sign-in ended; refused entries stay.

        Waits for the file's lock first. For `agent-console outbox send`.
        """
        while not self.lock.acquire():
            await asyncio.sleep(0.2)
        try:
            while (delay := await self.step()) is not None:
                if delay:
                    await self._sleep(delay)
        finally:
            self.lock.release()


def _refusal(exc: BackendError) -> str:
    """The server's message, with its per-field reasons, for the agent to fix."""
    fields = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
    return f"{exc.message} ({exc.status}{', ' + fields if fields else ''})"
