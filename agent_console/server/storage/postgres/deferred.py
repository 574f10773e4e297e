"""Indexes built once after a bulk copy (migrate-db), not kept up to date row by row.

Kept up to date while a million callers arrive, the trigram (GIN) indexes, the gram
tables' keys and the text tables' references cost most of a migration (3,301 s on a
loaded machine). Before a table is copied, the secondary indexes and constraints of
it and its search tables are dropped, their definitions written first, in the same
transaction, to `migrate_deferred`; once everything is copied they are built again from
there, each build committed with the removal of its record. An interrupted run leaves
the records, and the next run builds what they name: nothing is lost either way.
The id primary keys stay (appending to them is cheap and a resumed copy reads max(id)).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TextIO

import psycopg

from agent_console.server.storage.postgres.core import PostgresCore, query

#: A copied table -> the tables whose indexes wait for the end of the copy.
GROUPS: dict[str, tuple[str, ...]] = {
    "callers": ("callers", "callers_text", "callers_grams"),
    "directory": ("directory", "directory_text", "directory_grams"),
    "kb_articles": ("kb_text",),
}
RECORD = "migrate_deferred"
#: Memory for one index build (a sort or a GIN build in memory, not in many runs).
BUILD_MEMORY = "256MB"

_CONSTRAINTS = """
    SELECT c.conname, c.conrelid::regclass::text, c.contype, pg_get_constraintdef(c.oid)
    FROM pg_constraint c
    WHERE c.conrelid = ANY(%(tables)s::regclass[]) AND c.contype IN ('p', 'u', 'f')
"""
_INDEXES = """
    SELECT ci.relname, ti.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    JOIN pg_class ci ON ci.oid = i.indexrelid
    JOIN pg_class ti ON ti.oid = i.indrelid
    WHERE i.indrelid = ANY(%(tables)s::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def defer(core: PostgresCore, tables: Sequence[str]) -> int:
    """Drop the secondary indexes and constraints of `tables` (their definitions kept);
    returns how many were dropped."""
    dropped = 0
    with core.pool.connection() as conn, conn.transaction():
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {RECORD} (name TEXT PRIMARY KEY, tbl TEXT NOT NULL, "
            "phase INTEGER NOT NULL, definition TEXT NOT NULL)"
        )
        args = {"tables": list(tables)}
        for name, table, kind, definition in conn.execute(_CONSTRAINTS, args).fetchall():
            if kind == "p" and definition == "PRIMARY KEY (id)":
                continue
            # References go back last: they need the keys they point at.
            _record(conn, name, table, 2 if kind == "f" else 1, definition, constraint=True)
            conn.execute(query(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
            dropped += 1
        for name, table, definition in conn.execute(_INDEXES, args).fetchall():
            _record(conn, name, table, 1, definition, constraint=False)
            conn.execute(query(f'DROP INDEX "{name}"'))
            dropped += 1
    return dropped


def _record(
    conn: psycopg.Connection, name: str, table: str, phase: int, definition: str, constraint: bool
) -> None:
    if constraint:
        definition = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
    conn.execute(
        f"INSERT INTO {RECORD} (name, tbl, phase, definition) VALUES (%s, %s, %s, %s)",
        (name, table, phase, definition),
    )


def pending(core: PostgresCore) -> list[tuple[str, str, int, str]]:
    """(name, table, phase, definition) of every index still to build."""
    with core.pool.connection() as conn:
        if conn.execute("SELECT to_regclass(%s)", (RECORD,)).fetchone() == (None,):
            return []
        rows = conn.execute(f"SELECT name, tbl, phase, definition FROM {RECORD} ORDER BY name")
        return [tuple(r) for r in rows.fetchall()]  # type: ignore[misc]


def rebuild(core: PostgresCore, out: TextIO | None = None, workers: int = 2) -> int:
    """Build every deferred index and constraint (two at a time: a GIN build uses one
    core), then drop the record; returns how many were built."""
    todo = pending(core)

    def build(job: tuple[str, str, int, str]) -> str:
        return _build(core, *job)

    for phase in sorted({p for _, _, p, _ in todo}):
        jobs = [t for t in todo if t[2] == phase]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for name in pool.map(build, jobs):
                if out:
                    print(f"index built: {name}", file=out, flush=True)
    if not pending(core):
        with core.pool.connection() as conn:
            conn.execute(f"DROP TABLE IF EXISTS {RECORD}")
    return len(todo)


def _build(core: PostgresCore, name: str, _table: str, _phase: int, definition: str) -> str:
    with core.pool.connection() as conn, conn.transaction():
        conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        conn.execute(definition)  # type: ignore[arg-type]
        conn.execute(f"DELETE FROM {RECORD} WHERE name = %s", (name,))
    return name
