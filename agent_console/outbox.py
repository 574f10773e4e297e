"""The outbox: writes the backend could not take, kept on disk and sent later, once.

A ticket saved while the backend is unreachable or failing (connect error, timeout,
5xx) goes into a local SQLite file (WAL, synchronous=FULL: the agent is told "kept"
only after the row is on disk) with the Idempotency-Key its draft was born with.
`OutboxSender` (outbox_delivery.py) delivers the oldest entry first through the console's one
BackendClient, with capped exponential backoff and full jitter while the backend
is away. A 2xx (or the server's idempotent replay of a ticket it already has)
removes the entry; a 4xx other than 401/408/429 is a refusal the agent must see,
so the entry stays, marked "refused", with the server's message. Because the key
travels with the entry, a reply lost after the server committed is harmless: the
retry is answered with the ticket already made. One sender per outbox file (an OS
file lock), so two consoles on one seat never send the same entry twice.
No Textual here: the console (agent_console/seat/outbox_service.py) and
`agent-console outbox` share this code.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent_console import paths

WAITING = "waiting"
REFUSED = "refused"

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
    others: tuple[tuple[str, int], ...] = ()  # (agent id, waiting) of other agents here


class KeyConflict(ValueError):
    """The Idempotency-Key is already kept for a different write: nothing was kept.

    Never answered with the older entry: the agent would be told "kept" for a ticket
    the outbox does not hold (issue 20, item 1).
    """

    def __init__(self, key: str, entry: Entry) -> None:
        super().__init__(f"the key {key} is already kept for a different ticket ({entry.label!r})")
        self.key, self.entry = key, entry


def _same_write(
    entry: Entry, backend: str, agent_id: str, method: str, path: str, body: str
) -> bool:
    return (entry.backend, entry.agent_id, entry.method, entry.path) == (
        backend,
        agent_id,
        method,
        path,
    ) and json.dumps(entry.body, ensure_ascii=False, sort_keys=True) == body


class Outbox:
    """The outbox file. Every method commits before it returns; safe across threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # 0600 before SQLite opens it: its -wal and -shm files take the same mode.
        paths.private_file(self.path)
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
        """Keep a write; durable when this returns. The same key with the same write
        keeps one entry (a retry); with a different write it raises KeyConflict."""
        at = time.time() if now is None else now
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        inserted = self._run(
            "INSERT INTO outbox(backend, agent_id, method, path, body, idempotency_key, label,"
            " created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(idempotency_key) DO NOTHING",
            (
                backend,
                agent_id,
                method,
                path,
                text,
                idempotency_key,
                label,
                at,
                at,
            ),
        )
        entry = self.get_by_key(idempotency_key)
        assert entry is not None
        if not inserted and not _same_write(entry, backend, agent_id, method, path, text):
            raise KeyConflict(idempotency_key, entry)
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
        sql, params = "SELECT * FROM outbox WHERE 1=1", list[str]()
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
            others = ()
            if agent_id is not None:
                others = tuple(
                    (str(a), int(n))
                    for a, n in self._db.execute(
                        "SELECT agent_id, count(*) FROM outbox WHERE backend = ? AND agent_id != ?"
                        " AND state = 'waiting' GROUP BY agent_id ORDER BY agent_id",
                        (backend, agent_id),
                    ).fetchall()
                )
        return Counts(waiting=found.get(WAITING, 0), refused=found.get(REFUSED, 0), others=others)

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
