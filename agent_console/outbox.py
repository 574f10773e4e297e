"""The outbox: writes the backend could not take, kept on disk and sent later, once.

A ticket saved while the backend is unreachable or failing (connect error, timeout,
5xx) goes into a local SQLite file (WAL, synchronous=FULL: the agent is told "kept"
only after the row is on disk) with the Idempotency-Key its draft was born with.
`OutboxSender` delivers the oldest entry first through the console's one
BackendClient, with capped exponential backoff and full jitter while the backend
is away. A 2xx (or the server's idempotent replay of a ticket it already has)
removes the entry; a 4xx other than 401/408/429 is a refusal the agent must see,
so the entry stays, marked "refused", with the server's message. Because the key
travels with the entry, a reply lost after the server committed is harmless: the
retry is answered with the ticket already made. One sender per outbox file (an OS
file lock), so two consoles on one seat never send the same entry twice.
No Textual here: the console (screens/outbox_sender.py) and `agent-console outbox`
share this code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from agent_console.client import BackendError, BackendUnavailable, Unauthorized

WAITING = "waiting"
REFUSED = "refused"
# What one attempt came to (OutboxSender's on_change): besides REFUSED,
SENT, RETRY, SIGNED_OUT = "sent", "retry", "signed_out"
RETRY_STATUSES = frozenset({408, 429})  # a 4xx that means "later", not "no"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    backend         TEXT NOT NULL,
    agent_id        TEXT NOT NULL,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    body            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    label           TEXT NOT NULL DEFAULT '',
    created_at      REAL NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'waiting',
    refused_status  INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_queue ON outbox(backend, agent_id, state, id);
"""

T = TypeVar("T")


def default_path() -> Path:
    from agent_console.paths import data_dir

    return data_dir() / "outbox.sqlite"


@dataclass(frozen=True)
class Entry:
    id: int
    backend: str
    agent_id: str
    method: str
    path: str
    body: Any
    idempotency_key: str
    label: str
    created_at: float
    attempts: int
    next_attempt_at: float
    last_error: str
    state: str
    refused_status: int | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Entry:
        data = dict(row)
        data["body"] = json.loads(data["body"])
        return cls(**data)


@dataclass(frozen=True)
class Counts:
    waiting: int = 0
    refused: int = 0


class Outbox:
    """The outbox file. Every method commits before it returns; safe across threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        db = sqlite3.connect(
            str(self.path), isolation_level=None, check_same_thread=False, timeout=30
        )
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # "kept" means on disk, power cut included
        db.execute("PRAGMA busy_timeout=30000")
        db.executescript(_SCHEMA)
        self._db = db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def db_mode(self) -> tuple[str, int]:
        """(journal_mode, synchronous): ("wal", 2) is what "kept" promises."""
        with self._lock:
            mode = self._db.execute("PRAGMA journal_mode").fetchone()[0]
            sync = self._db.execute("PRAGMA synchronous").fetchone()[0]
        return str(mode), int(sync)

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Entry | None:
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return Entry.from_row(row) if row is not None else None

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    def enqueue(
        self,
        *,
        backend: str,
        agent_id: str,
        method: str,
        path: str,
        body: Any,
        idempotency_key: str,
        label: str = "",
        now: float | None = None,
    ) -> Entry:
        """Keep a write; durable when this returns. The same key twice keeps one entry."""
        at = time.time() if now is None else now
        self._run(
            "INSERT INTO outbox(backend, agent_id, method, path, body, idempotency_key, label,"
            " created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(idempotency_key) DO NOTHING",
            (
                backend,
                agent_id,
                method,
                path,
                json.dumps(body, ensure_ascii=False, sort_keys=True),
                idempotency_key,
                label,
                at,
                at,
            ),
        )
        entry = self.get_by_key(idempotency_key)
        assert entry is not None
        return entry

    def get(self, entry_id: int) -> Entry | None:
        return self._one("SELECT * FROM outbox WHERE id = ?", (entry_id,))

    def get_by_key(self, key: str) -> Entry | None:
        return self._one("SELECT * FROM outbox WHERE idempotency_key = ?", (key,))

    def oldest_waiting(self, backend: str, agent_id: str) -> Entry | None:
        return self._one(
            "SELECT * FROM outbox WHERE backend = ? AND agent_id = ? AND state = 'waiting'"
            " ORDER BY id LIMIT 1",
            (backend, agent_id),
        )

    def entries(self, backend: str | None = None, agent_id: str | None = None) -> list[Entry]:
        sql, params = "SELECT * FROM outbox WHERE 1=1", []
        for column, value in (("backend", backend), ("agent_id", agent_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", tuple(params)).fetchall()
        return [Entry.from_row(r) for r in rows]

    def counts(self, backend: str, agent_id: str | None = None) -> Counts:
        sql = "SELECT state, count(*) FROM outbox WHERE backend = ?"
        params: tuple[Any, ...] = (backend,)
        if agent_id is not None:
            sql += " AND agent_id = ?"
            params += (agent_id,)
        with self._lock:
            found = dict(self._db.execute(sql + " GROUP BY state", params).fetchall())
        return Counts(waiting=found.get(WAITING, 0), refused=found.get(REFUSED, 0))

    def delivered(self, entry_id: int) -> None:
        self._run("DELETE FROM outbox WHERE id = ?", (entry_id,))

    def postpone(self, entry_id: int, error: str, next_attempt_at: float) -> None:
        self._run(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
            " WHERE id = ?",
            (error, next_attempt_at, entry_id),
        )

    def note(self, entry_id: int, error: str) -> None:
        """Say why an entry waits (e.g. the sign-in expired) without counting an attempt."""
        self._run("UPDATE outbox SET last_error = ? WHERE id = ?", (error, entry_id))

    def refuse(self, entry_id: int, status: int, message: str) -> None:
        self._run(
            "UPDATE outbox SET state = 'refused', attempts = attempts + 1, refused_status = ?,"
            " last_error = ? WHERE id = ?",
            (status, message, entry_id),
        )

    def requeue(self, entry_id: int, now: float | None = None) -> bool:
        """Send a refused entry again (after the cause was fixed on the server)."""
        at = time.time() if now is None else now
        return bool(
            self._run(
                "UPDATE outbox SET state = 'waiting', attempts = 0, next_attempt_at = ?,"
                " refused_status = NULL WHERE id = ?",
                (at, entry_id),
            )
        )

    def discard(self, entry_id: int) -> bool:
        return bool(self._run("DELETE FROM outbox WHERE id = ?", (entry_id,)))


class SenderLock:
    """An exclusive OS lock on `<outbox>.lock`: one sender per outbox file.

    The kernel drops it when the process dies, SIGKILL included, so a crashed
    console never blocks the next one.
    """

    def __init__(self, outbox_path: Path) -> None:
        self.path = Path(f"{outbox_path}.lock")
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
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
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
        lock_retry: float = 5.0,
    ) -> None:
        self.outbox = outbox
        self.send = send
        self.backend, self.agent_id = backend, agent_id
        self.policy = policy or RetryPolicy()
        self.rng = rng or random.Random()
        self.clock = clock
        self.on_change = on_change
        self.lock = SenderLock(outbox.path)
        self.lock_retry = lock_retry
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
            await self._later(entry, message)
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

    async def _later(self, entry: Entry, error: str) -> None:
        delay = self.policy.delay(entry.attempts + 1, self.rng)
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

    async def run(self) -> None:
        """Send for as long as the console runs; only while holding the file's lock."""
        try:
            await self._changed(None)
            while True:
                if not self.lock.acquire():
                    await self._sleep(self.lock_retry)  # another console is sending
                    continue
                delay = await self.step()
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
