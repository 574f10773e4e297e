"""Where a route's database read runs: on the event loop, or in the thread pool.

FastAPI runs a plain `def` route in its thread pool: a hand-off to a worker thread and
back for every request. On SQLite that hand-off cost more than many reads themselves:
in one run of a bare route, 0.25 ms of the server's CPU and 0.3-0.5 ms of wall time
per request (a 20-row answer: 0.54 ms CPU on the loop, 0.80 via the pool), and
on the lookup's searches it was about a tenth of the server's CPU (py-spy). A SQLite
read waits for nothing (WAL: readers do not wait for the writer) and a search stops at
its own time budget, so the hot reads run on the loop there: the lookups and the
caller card (not the knowledge base's search, which has no time budget). If another
process holds the file (a recovery after a crash, a tool in exclusive mode), the read
gives up at once and waits in a thread instead. On PostgreSQL a read
waits for a pooled connection and a round trip, and a database that is away would
freeze the worker: there they keep the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from agent_console.server.storage import Storage, WouldWait

P = ParamSpec("P")
T = TypeVar("T")


async def read(storage: Storage, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)`, on the loop where the engine reads in process, else in
    the thread pool."""
    if storage.reads_in_process:
        try:
            with storage.brief_waits():
                return fn(*args, **kwargs)
        except WouldWait:
            pass  # another process holds the file: wait for it in a thread
    return await run_in_threadpool(fn, *args, **kwargs)
