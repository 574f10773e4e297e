"""SQLite's hot reads run on the event loop (server/reads.py), and a locked file sends
them to a thread instead of freezing the worker."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from pathlib import Path

from agent_console.server.reads import read
from agent_console.server.storage import open_storage


def test_a_sqlite_read_runs_on_the_loop_and_a_locked_file_in_a_thread(
    demo_db_template: Path, tmp_path: Path
) -> None:
    """The lock is injected: while the server has the file open, WAL mode refuses any
    other process an exclusive hold (tried: `BEGIN EXCLUSIVE` in locking_mode=EXCLUSIVE
    says 'database is locked'), so a reader finds it locked only during a recovery after
    a crash. The error is the one SQLite raises then."""
    db = tmp_path / "centre.db"
    shutil.copy(demo_db_template, db)
    storage = open_storage(str(db))
    ran_on: list[threading.Thread] = []

    def count() -> int:
        ran_on.append(threading.current_thread())
        return int(storage.db.execute("SELECT count(*) FROM callers").fetchone()[0])

    def count_unless_on_the_loop() -> int:
        if threading.current_thread() is loop_thread:
            ran_on.append(loop_thread)
            # what the 50 ms busy timeout of brief_waits ends in
            assert storage.db.execute("PRAGMA busy_timeout").fetchone()[0] == 50
            raise sqlite3.OperationalError("database is locked")
        return count()

    loop_thread = threading.main_thread()

    async def scenario() -> None:
        assert threading.current_thread() is loop_thread
        callers = await read(storage, count)
        assert callers > 0 and ran_on == [loop_thread]
        assert await read(storage, count_unless_on_the_loop) == callers
        assert ran_on[1] is loop_thread and ran_on[2] is not loop_thread
        # the loop's connection waits as long as any other once the read is over
        assert storage.db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000

    try:
        asyncio.run(scenario())
    finally:
        storage.close()
