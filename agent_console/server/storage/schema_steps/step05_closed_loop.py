"""Step 5: the closed loop, field stations, agent state."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both, postgres, sqlite

PARTS = (
    both("-- Issue 5: the closed loop, field stations, agent state."),
    sqlite("""
        -- Field-station staff sign in with role 'station' and see the tickets dispatched
        -- to their station. A CHECK cannot be altered in SQLite, so the agents table is
        -- rebuilt (the runner turns foreign keys off around schema steps, as SQLite's
        -- documented procedure for table changes requires).
        CREATE TABLE agents_new (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            role          TEXT NOT NULL
                          CHECK (role IN ('agent','trainee','mentor','supervisor','station')),
            agent_no      TEXT NOT NULL,
            hotline       TEXT NOT NULL DEFAULT '',
            language      TEXT NOT NULL DEFAULT 'zh',
            password_hash TEXT NOT NULL,
            station       TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO agents_new(id, name, role, agent_no, hotline, language, password_hash)
            SELECT id, name, role, agent_no, hotline, language, password_hash FROM agents;
        DROP TABLE agents;
        ALTER TABLE agents_new RENAME TO agents;
        """),
    postgres("""
        ALTER TABLE agents DROP CONSTRAINT agents_role_check;
        ALTER TABLE agents ADD CONSTRAINT agents_role_check
            CHECK (role IN ('agent','trainee','mentor','supervisor','station'));
        ALTER TABLE agents ADD COLUMN station TEXT NOT NULL DEFAULT '';
        """),
    both("""
        -- What each agent is doing now (supervisors watch it), and every change.
        CREATE TABLE agent_states (
            agent_id   TEXT PRIMARY KEY REFERENCES agents(id),
            state      TEXT NOT NULL CHECK (state IN ('ready','not_ready','acw','on_call')),
            reason     TEXT NOT NULL DEFAULT '',
            since      TEXT NOT NULL,
            call_id    INTEGER
        );
        CREATE TABLE agent_state_log (
            id       {ID},
            agent_id TEXT NOT NULL REFERENCES agents(id),
            state    TEXT NOT NULL,
            reason   TEXT NOT NULL DEFAULT '',
            at       TEXT NOT NULL,
            call_id  INTEGER,
            wrap_up  TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX agent_state_log_agent ON agent_state_log(agent_id, id);

        -- A call ends with a wrap-up code (after-call work).
        ALTER TABLE calls ADD COLUMN ended_at TEXT;
        ALTER TABLE calls ADD COLUMN wrap_up TEXT NOT NULL DEFAULT '';

        -- My follow-ups (callbacks by due time) and a station's queue.
        CREATE INDEX tickets_followups ON tickets(area, created_by, status, callback_due);
        CREATE INDEX tickets_station ON tickets(area, station_id, status, created_at);
        """),
)
