"""Caller searches on the event loop (psycopg's async connections), not in the thread
pool: under bench/centre a search's hand-off to a worker thread and back was two
more wakes of a sleeping thread per request, and on this 2-core VM a hand-off between
requests cost 0.18 ms of CPU (0.05 ms back to back), a wake of the loop alone 0.08 ms.

Only the plain case is answered here: a search whose one statement (search.py,
search_rows_sql_pg) comes back within the search connection's time limit. Anything
else (the budget ran out, a connection lost, the database away, every connection
busy) answers None and the caller runs the thread pool's search_callers, which has
the partial answer, the retry and the pool's waits. While the database is away this
stops trying for RETRY_S after a failed connect, so requests do not each wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import psycopg

from agent_console.server.storage.postgres.core import (
    CONNECTION,
    SEARCH_OPTIONS,
    readable_now,
)

#: Seconds without a connection attempt after one failed (the database is away).
RETRY_S = 1.0


class LoopConnections:
    """Up to `size` autocommit search connections (SEARCH_OPTIONS) for one event loop."""

    def __init__(self, url: str, size: int) -> None:
        self.url = url
        self.size = size
        self.idle: list[psycopg.AsyncConnection[Any]] = []
        self.count = 0  # open, idle or in use
        self.down_until = 0.0

    async def take(self) -> psycopg.AsyncConnection[Any] | None:
        """An idle connection that shows nothing to read (else dropped), a new one
        while fewer than `size` are open, or None."""
        while self.idle:
            conn = self.idle.pop()
            idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
            if not conn.closed and idle and not readable_now(conn.fileno()):
                return conn
            await self.drop(conn)
        if self.count >= self.size or time.monotonic() < self.down_until:
            return None
        self.count += 1
        try:
            return await psycopg.AsyncConnection.connect(
                self.url, **CONNECTION, options=SEARCH_OPTIONS
            )
        except psycopg.Error:
            self.count -= 1
            self.down_until = time.monotonic() + RETRY_S
            return None
        except BaseException:  # the request was cancelled while connecting
            self.count -= 1
            raise

    def give(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.idle.append(conn)

    async def drop(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.count -= 1
        with contextlib.suppress(psycopg.Error):  # already broken
            await conn.close()

    def close(self) -> None:
        """Close the idle ones without the loop (the server is stopping)."""
        for conn in self.idle:
            conn.pgconn.finish()
        self.idle.clear()


class LoopSearch:
    """LoopConnections per event loop (a process has one; tests may run several)."""

    def __init__(self, url: str, size: int) -> None:
        self.url = url
        self.size = size
        self.loops: dict[asyncio.AbstractEventLoop, LoopConnections] = {}

    def connections(self) -> LoopConnections:
        loop = asyncio.get_running_loop()
        found = self.loops.get(loop)
        if found is None:
            for old in [lp for lp in self.loops if lp.is_closed()]:
                self.loops.pop(old).close()
            found = self.loops[loop] = LoopConnections(self.url, self.size)
        return found

    async def rows(
        self, sql: str, params: list[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]] | None:
        """The statement's column names and rows, prepared (generic plan), or None."""
        pool = self.connections()
        conn = await pool.take()
        if conn is None:
            return None
        try:
            async with conn.cursor() as cur:
                await cur.execute(sql, params, prepare=True)  # type: ignore[arg-type]
                if cur.description is None:
                    raise psycopg.ProgrammingError("a search returned no rows")
                names = [d.name for d in cur.description]
                return names, await cur.fetchall()
        except psycopg.Error:
            await pool.drop(conn)
            conn = None
            return None
        finally:
            if conn is not None:
                pool.give(conn)

    def close(self) -> None:
        for found in self.loops.values():
            found.close()
        self.loops.clear()
