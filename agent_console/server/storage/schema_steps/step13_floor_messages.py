"""Step 13: floor messages from supervisors to agents."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        -- Issue 16: a supervisor's one-line message to an agent's console, shown there
        -- until the agent marks it read.
        CREATE TABLE floor_messages (
            id       {ID},
            agent_id TEXT NOT NULL REFERENCES agents(id),
            from_id  TEXT NOT NULL REFERENCES agents(id),
            text     TEXT NOT NULL,
            sent_at  TEXT NOT NULL,
            read_at  TEXT
        );
        CREATE INDEX floor_messages_to ON floor_messages(agent_id, read_at, id);
        """),
)
