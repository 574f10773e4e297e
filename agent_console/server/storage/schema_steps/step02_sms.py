"""Step 2: SMS sent to callers."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        CREATE TABLE sms (
            id         {ID},
            area       TEXT NOT NULL DEFAULT 'production',
            caller_id  INTEGER REFERENCES callers(id),
            to_number  TEXT NOT NULL,
            body       TEXT NOT NULL,
            kind       TEXT NOT NULL,
            ref        TEXT NOT NULL DEFAULT '',
            status     TEXT NOT NULL DEFAULT 'sent',
            agent_id   TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX sms_caller ON sms(area, caller_id, created_at);
        """),
)
