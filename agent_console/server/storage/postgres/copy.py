"""`agent-console migrate-db`: a centre's SQLite data copied into PostgreSQL.

Resumable: tables go in reference order; a table with an integer id continues after
the highest id already in PostgreSQL, one transaction per batch, its rows by COPY (the
search rows of callers, listings and articles COPYed in the same transaction as their
rows); other tables are small and copied with ON CONFLICT DO NOTHING. The search
indexes of a table with rows to copy are dropped first and built once at the end
(deferred.py). An interrupted copy is run again with the same command. At the end
every table's row count is compared.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TextIO

from agent_console.server.storage.base import StorageError
from agent_console.server.storage.postgres import PostgresStorage
from agent_console.server.storage.postgres.deferred import GROUPS, defer, rebuild
from agent_console.server.storage.postgres.knowledge import KB_TEXT_INSERT, kb_text_row
from agent_console.server.storage.postgres.schema import ID_TABLES
from agent_console.server.storage.postgres.search_text import (
    caller_texts,
    copy_text,
    directory_texts,
    text_rows,
)

# Reference order: a row's parents are copied before it. Not `events` (migration 7),
# deliberately: on SQLite it stays empty (the bus is in memory there), and on
# PostgreSQL it is a short-lived stream the servers fill and prune themselves.
TABLES = (
    "hotlines",
    "stations",
    "compounds",
    "agents",
    "sessions",
    "audit_log",
    "callers",
    "directory",
    "kb_articles",
    "scripts",
    "ticket_categories",
    "tickets",
    "ticket_events",
    "idempotency",
    "sms",
    "calls",
    "call_rings",
    "guides",
    "kb_flags",
    "agent_states",
    "agent_state_log",
    "practice_results",
    "practice_result_items",
    "practice_hands",
    "practice_hints",
    "practice_activity",
)
BATCH = 20000
#: Processes that compute search rows ahead of the writer (2 cores: the writer and
#: PostgreSQL use the rest).
WORKERS = 2


def _columns(src: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in src.execute(f"PRAGMA table_info({table})")]


def text_batch(table: str, cols: list[str], rows: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
    """The search rows (COPY text) of a batch of callers or listings: most of a
    migration's Python work, so it runs in worker processes (see _TextWorkers)."""
    texts: Callable[[dict[str, Any]], dict[str, str]] = (
        caller_texts if table == "callers" else directory_texts
    )
    return [text_rows(table, r[0], texts(dict(zip(cols, r, strict=True)))) for r in rows]


def _index_batch(
    dst: PostgresStorage, table: str, cols: list[str], rows: list[tuple[Any, ...]], texts: Any
) -> None:
    """The search rows that stand in for SQLite's FTS5 tables."""
    if table in ("callers", "directory"):
        copy_text(dst.db, table, texts.result() if texts is not None else [])
    elif table == "kb_articles":
        dicts = [dict(zip(cols, r, strict=True)) for r in rows]
        dst.db.executemany(
            KB_TEXT_INSERT,
            [kb_text_row(r["id"], {**r, "tags": json.loads(r["tags"])}) for r in dicts],
        )


class _TextWorkers:
    """Batches' search rows computed ahead in WORKERS processes while this one writes
    the batch before (in id order, so a resumed copy still starts after max(id));
    fewer rows than that are done here."""

    def __init__(self, table: str, cols: list[str], remaining: int) -> None:
        self.table, self.cols = table, cols
        self.pool: ProcessPoolExecutor | None = None
        if table in ("callers", "directory") and remaining > 2 * BATCH and WORKERS > 0:
            self.pool = ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn"))

    def submit(self, rows: list[tuple[Any, ...]]) -> Future[list[tuple[str, str]]] | None:
        if self.table not in ("callers", "directory"):
            return None
        if self.pool is not None:
            return self.pool.submit(text_batch, self.table, self.cols, rows)
        done: Future[list[tuple[str, str]]] = Future()
        done.set_result(text_batch(self.table, self.cols, rows))
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def copy_table(
    src: sqlite3.Connection, dst: PostgresStorage, table: str, out: TextIO | None
) -> int:
    """Copy what is not there yet; returns rows copied in this run."""
    cols = _columns(src, table)
    listed = ", ".join(cols)
    copied = 0
    if table in ID_TABLES:
        assert cols[0] == "id", table  # rows are read as tuples, the id first
        last = _count(dst, f"SELECT coalesce(max(id), 0) FROM {table}")
        more = src.execute(f"SELECT 1 FROM {table} WHERE id > ? LIMIT 1", (last,)).fetchone()
        if more and table in GROUPS:
            defer(dst, GROUPS[table])  # built once at the end (rebuild)
        reader = src.cursor()
        reader.row_factory = None  # plain tuples: a million dicts cost seconds
        remaining = src.execute(f"SELECT count(*) FROM {table} WHERE id > ?", (last,)).fetchone()
        workers = _TextWorkers(table, cols, int(remaining[0]))
        ahead: deque[tuple[list[tuple[Any, ...]], Any]] = deque()
        read_to = last

        def read_ahead() -> None:
            nonlocal read_to
            while len(ahead) <= WORKERS:
                rows = reader.execute(
                    f"SELECT {listed} FROM {table} WHERE id > ? ORDER BY id LIMIT ?",
                    (read_to, BATCH),
                ).fetchall()
                if not rows:
                    return
                read_to = rows[-1][0]
                ahead.append((rows, workers.submit(rows)))

        try:
            read_ahead()
            while ahead:
                rows, texts = ahead.popleft()
                read_ahead()
                with dst.write() as db:
                    db.copy_rows(table, cols, rows)
                    _index_batch(dst, table, cols, rows, texts)
                last = rows[-1][0]
                copied += len(rows)
                if out:
                    print(f"{table}: {copied:,} rows (last id {last})", file=out, flush=True)
        finally:
            workers.close()
        dst.sync_ids(table)
        return copied
    insert = f"INSERT INTO {table}({listed}) VALUES ({','.join('?' * len(cols))})"
    rows = [tuple(r) for r in src.execute(f"SELECT {listed} FROM {table}")]
    for start in range(0, len(rows), BATCH):
        with dst.write() as db:
            db.executemany(f"{insert} ON CONFLICT DO NOTHING", rows[start : start + BATCH])
    return min(len(rows), _count(dst, f"SELECT count(*) FROM {table}"))


def _count(dst: PostgresStorage, sql: str) -> int:
    row = dst.db.execute(sql).fetchone()
    return int(row[0]) if row else 0


def migrate(
    sqlite_path: str, postgres_url: str, out: TextIO | None = None
) -> dict[str, tuple[int, int]]:
    """Copy every table, then compare counts: {table: (sqlite rows, postgres rows)}.
    Raises StorageError when a count differs."""
    from agent_console.server.storage import open_storage

    open_storage(sqlite_path).close()  # bring an older SQLite file to the current schema
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    src.row_factory = sqlite3.Row
    dst = PostgresStorage(postgres_url)
    try:
        for table in TABLES:
            copy_table(src, dst, table, out)
        rebuild(dst, out)
        counts = {
            t: (
                int(src.execute(f"SELECT count(*) FROM {t}").fetchone()[0]),
                _count(dst, f"SELECT count(*) FROM {t}"),
            )
            for t in TABLES
        }
        for text_table, parent in (
            ("callers_text", "callers"),
            ("directory_text", "directory"),
            ("kb_text", "kb_articles"),
        ):
            counts[text_table] = (
                counts[parent][0],
                _count(dst, f"SELECT count(*) FROM {text_table}"),
            )
        dst.optimize()
    finally:
        src.close()
        dst.close()
    wrong = {t: c for t, c in counts.items() if c[0] != c[1]}
    if wrong:
        raise StorageError(f"row counts differ after the copy: {wrong}")
    return counts
