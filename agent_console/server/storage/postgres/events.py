"""The events table of a PostgreSQL centre: what the shared event bus (server/
shared_events.py) stores, replays and is woken by.

Publishing INSERTs the event and NOTIFYs in one transaction, holding an advisory lock
from before the id is drawn until the commit: events commit in id order, so a reader
that has seen id N has seen every committed event below N and can always resume with
"id > N" (no gaps to wait for). Each server process keeps one dedicated connection
that LISTENs (`EventListener`), outside the pool, and reads new rows in id order
through that same connection: after an outage the listener's fresh connection is the
one known to work, so catching up never waits on the pool's dead or missing ones.
"""

from __future__ import annotations

import json
import select
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import psycopg

from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import CONNECTION

if TYPE_CHECKING:
    from agent_console.server.storage.postgres.core import PostgresCore

#: Taken by every publish until its commit: ids commit in order (see the module doc).
EVENTS_LOCK = 0x61630003
CHANNEL = "agent_console_events"


class EventListener:
    """One connection that LISTENs on the events channel (not from the pool: a pooled
    connection would be handed to requests between waits and miss notifications)."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, **CONNECTION, application_name="agent-console events")
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """Block until a notification arrives (True) or `timeout` seconds pass (False).
        Raises psycopg.OperationalError when the connection is lost.

        Consumed to the end, not stopped at the first: notifications that came during
        a catch-up read on this connection wait in psycopg's backlog, and this drains
        all of them at once (one catch-up covers them all). The wait itself is a poll
        of the socket, then psycopg reads what came without waiting: psycopg's own
        wait with a timeout (`notifies(timeout=)`) cost 0.9 ms of CPU per 0.1 s wait,
        this 0.14 ms; the listener waits ten times a second in every worker (the
        session lease, see shared_events.py), busy or idle."""
        if list(self.conn.notifies(timeout=0, stop_after=1)):  # the backlog, if any
            return True
        if not _readable_within(self.conn.fileno(), timeout):
            return False
        # Whatever came: a notification, or the end of the connection (which raises).
        return bool(list(self.conn.notifies(timeout=0, stop_after=1)))

    def after(self, after_id: int, limit: int = 500) -> list[Row]:
        """Events after `after_id`, oldest first, read on this connection."""
        return after_rows(self.conn, after_id, None, None, limit)

    def prune(self, keep_hours: float, keep_rows: int) -> int:
        return prune_rows(self.conn, keep_hours, keep_rows)

    def close(self) -> None:
        self.conn.close()


def _readable_within(fd: int, timeout: float) -> bool:
    """Whether the socket has something to read (or was closed) within `timeout` s."""
    if hasattr(select, "poll"):
        poll = select.poll()
        poll.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poll.poll(max(0, int(timeout * 1000))))
    return bool(select.select([fd], [], [], timeout)[0])  # Windows: sockets only


def after_rows(
    conn: psycopg.Connection, after_id: int, upto: int | None, tags: Iterable[str] | None,
    limit: int,
) -> list[Row]:  # fmt: skip
    """Events with `after_id < id <= upto`, oldest first. With `tags`, only those
    addressed to one of them, and only the newest `limit` (a replay)."""
    where = ["id > %s"]
    params: list[object] = [after_id]
    if upto is not None:
        where.append("id <= %s")
        params.append(upto)
    if tags is not None:
        where.append("audience && %s::text[]")
        params.append(sorted(tags))
    order = "DESC" if tags is not None else "ASC"
    sql = (
        "SELECT id, type, data, audience FROM events WHERE "
        f"{' AND '.join(where)} ORDER BY id {order} LIMIT %s"
    )
    rows = conn.execute(sql, (*params, limit)).fetchall()  # type: ignore[arg-type]
    out = [
        {"id": int(r[0]), "type": r[1], "data": json.loads(r[2]), "audience": list(r[3])}
        for r in rows
    ]
    return out[::-1] if tags is not None else out


def prune_rows(conn: psycopg.Connection, keep_hours: float, keep_rows: int) -> int:
    """Drop events older than `keep_hours` or beyond the newest `keep_rows`."""
    cur = conn.execute(
        "DELETE FROM events WHERE at < now() - make_interval(secs => %s)"
        " OR id <= (SELECT coalesce(max(id), 0) FROM events) - %s",
        (keep_hours * 3600.0, keep_rows),
    )
    return cur.rowcount


class PgEventStore:
    """Append, read back and prune events; the SQL of the shared event bus."""

    def __init__(self, core: PostgresCore) -> None:
        self.core = core

    def append(self, event_type: str, data: dict[str, Any], audience: Iterable[str]) -> int:
        """Store one event and wake every process's listener; returns its id."""
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with self.core.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (EVENTS_LOCK,))
            row = conn.execute(
                "INSERT INTO events(type, data, audience) VALUES (%s, %s, %s) RETURNING id",
                (event_type, text, sorted(audience)),
            ).fetchone()
            event_id = int(row[0]) if row else 0
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(event_id)))
        return event_id

    def after(
        self, after_id: int, upto: int | None = None, tags: Iterable[str] | None = None,
        limit: int = 500,
    ) -> list[Row]:  # fmt: skip
        """See after_rows; on a pooled connection (a stream's replay)."""
        with self.core.pool.connection() as conn:
            return after_rows(conn, after_id, upto, tags, limit)

    def latest(self) -> int:
        with self.core.pool.connection() as conn:
            row = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def prune(self, keep_hours: float, keep_rows: int) -> int:
        """See prune_rows; on a pooled connection."""
        with self.core.pool.connection() as conn:
            return prune_rows(conn, keep_hours, keep_rows)

    def listener(self) -> EventListener:
        return EventListener(self.core.url)


class PgEventsMixin:
    """Gives PostgresStorage its event store: several processes share the stream."""

    def event_store(self) -> PgEventStore:
        return PgEventStore(self)  # type: ignore[arg-type]
