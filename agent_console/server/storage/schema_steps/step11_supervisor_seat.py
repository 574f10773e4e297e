"""Step 11: the supervisor's seat: a wall screen's own sign-in, agents' teams."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both, postgres, sqlite

PARTS = (
    both("-- Issue 16: the supervisor's seat (a wall screen's own sign-in, agents' teams)."),
    sqlite("""
        -- A wall screen signs in with role 'wall': it reads the wallboard and nothing
        -- else. SQLite cannot alter a CHECK: the agents table is rebuilt (as in step 5),
        -- with the team column in place.
        CREATE TABLE agents_new (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            role          TEXT NOT NULL
                          CHECK (role IN ('agent','trainee','mentor','supervisor','station',
                                          'wall')),
            agent_no      TEXT NOT NULL,
            hotline       TEXT NOT NULL DEFAULT '',
            language      TEXT NOT NULL DEFAULT 'zh',
            password_hash TEXT NOT NULL,
            station       TEXT NOT NULL DEFAULT '',
            extension     TEXT NOT NULL DEFAULT '',
            team          TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO agents_new(id, name, role, agent_no, hotline, language, password_hash,
                               station, extension)
            SELECT id, name, role, agent_no, hotline, language, password_hash, station,
                   extension FROM agents;
        DROP TABLE agents;
        ALTER TABLE agents_new RENAME TO agents;
        CREATE INDEX agents_extension ON agents(extension) WHERE extension <> '';
        """),
    postgres("""
        ALTER TABLE agents DROP CONSTRAINT agents_role_check;
        ALTER TABLE agents ADD CONSTRAINT agents_role_check
            CHECK (role IN ('agent','trainee','mentor','supervisor','station','wall'));
        ALTER TABLE agents ADD COLUMN team TEXT NOT NULL DEFAULT '';
        """),
    both("""
        -- The wallboard reads today's calls and state changes.
        CREATE INDEX calls_started ON calls(started_at);
        CREATE INDEX agent_state_log_at ON agent_state_log(at);
        """),
)
