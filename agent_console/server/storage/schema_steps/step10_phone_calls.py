"""Step 10: calls from the phone system: a call's life and the agents it rang."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        -- Issue 13: calls come from the phone system (Zammad's generic CTI push API).
        -- An agent is named by number, extension or name; a call has the PBX's id
        -- (call_ref), a direction, a queue and a life (ringing -> answered -> ended, or
        -- ringing -> missed); every agent it rang at is in call_rings. An outbound call
        -- the console records (a callback attempt) has reason 'callback' and, once the
        -- agent says so, reached 1 or 0.
        ALTER TABLE agents ADD COLUMN extension TEXT NOT NULL DEFAULT '';
        CREATE INDEX agents_extension ON agents(extension) WHERE extension <> '';
        ALTER TABLE calls ADD COLUMN call_ref TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN direction TEXT NOT NULL DEFAULT 'in';
        ALTER TABLE calls ADD COLUMN queue TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN state TEXT NOT NULL DEFAULT 'ringing';
        ALTER TABLE calls ADD COLUMN answered_by TEXT;
        ALTER TABLE calls ADD COLUMN answered_at TEXT;
        ALTER TABLE calls ADD COLUMN cause TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE calls ADD COLUMN ticket_id INTEGER;
        ALTER TABLE calls ADD COLUMN reached INTEGER;
        -- Calls from before this step had no life to follow: they are over.
        UPDATE calls SET state = 'ended', answered_by = agent_id, answered_at = started_at;
        CREATE UNIQUE INDEX calls_ref ON calls(call_ref) WHERE call_ref <> '';
        CREATE INDEX calls_missed ON calls(hotline, state, started_at);
        CREATE INDEX calls_number ON calls(number, direction, started_at);
        CREATE TABLE call_rings (
            call_id  INTEGER NOT NULL REFERENCES calls(id),
            agent_id TEXT NOT NULL,
            PRIMARY KEY (call_id, agent_id)
        );
        CREATE INDEX call_rings_agent ON call_rings(agent_id, call_id);
        INSERT INTO call_rings(call_id, agent_id) SELECT id, agent_id FROM calls;
        """),
)
