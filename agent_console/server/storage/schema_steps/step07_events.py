"""Step 7: the events stream of a PostgreSQL centre."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite

PARTS = (
    sqlite("""
        -- The events stream of a PostgreSQL centre (several server processes share it).
        -- SQLite is the one-process engine: its event bus stays in memory and this
        -- table stays empty; it exists so both engines number their steps alike.
        CREATE TABLE events (
            id       INTEGER PRIMARY KEY,
            at       TEXT NOT NULL,
            type     TEXT NOT NULL,
            data     TEXT NOT NULL,
            audience TEXT NOT NULL
        );
        """),
    # Not collated: `audience` is an array of tags (text[]), and ids are bigserial
    # (not an ID table: the event store inserts with its own RETURNING).
    postgres(
        """
        CREATE TABLE events (
            id       BIGSERIAL PRIMARY KEY,
            at       TIMESTAMPTZ NOT NULL DEFAULT now(),
            type     TEXT NOT NULL,
            data     TEXT NOT NULL,
            audience TEXT[] NOT NULL
        );
        CREATE INDEX events_at ON events(at);
        """,
        collate=False,
    ),
)
