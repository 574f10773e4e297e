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
from collections.abc import Callable
from typing import Any, TextIO

from agent_console.server.storage.base import StorageError
from agent_console.server.storage.postgres import PostgresStorage
from agent_console.server.storage.postgres.deferred import GROUPS, defer, rebuild
from agent_console.server.storage.postgres.knowledge import KB_TEXT_INSERT, kb_text_row
from agent_console.server.storage.postgres.schema import ID_TABLES
from agent_console.server.storage.postgres.search import (
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


def _columns(src: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in src.execute(f"PRAGMA table_info({table})")]


def _index_batch(
    dst: PostgresStorage, table: str, cols: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """The search rows that stand in for SQLite's FTS5 tables."""
    if table in ("callers", "directory"):
        texts: Callable[[dict[str, Any]], dict[str, str]] = (
            caller_texts if table == "callers" else directory_texts
        )
        copy_text(
            dst.db,
            table,
            [text_rows(table, r[0], texts(dict(zip(cols, r, strict=True)))) for r in rows],
        )
    elif table == "kb_articles":
        dicts = [dict(zip(cols, r, strict=True)) for r in rows]
        dst.db.executemany(
            KB_TEXT_INSERT,
            [kb_text_row(r["id"], {**r, "tags": json.loads(r["tags"])}) for r in dicts],
        )


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
        while more:
            rows = reader.execute(
                f"SELECT {listed} FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (last, BATCH)
            ).fetchall()
            if not rows:
                break
            with dst.write() as db:
                db.copy_rows(table, cols, rows)
                _index_batch(dst, table, cols, rows)
            last = rows[-1][0]
            copied += len(rows)
            if out:
                print(f"{table}: {copied:,} rows (last id {last})", file=out, flush=True)
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
