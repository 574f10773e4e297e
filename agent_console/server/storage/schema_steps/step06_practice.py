"""Step 6: practice mode: results, raised hands, mentor hints, activity."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both

PARTS = (
    both("""
        -- Practice mode: results per trainee (items and timeline for the debrief and the
        -- mentor's review), raised hands, mentor hints, what each trainee is doing now.
        -- Practice tickets and SMS stay in tickets/sms with area = 'practice'.
        CREATE TABLE practice_results (
            id                 {ID},
            trainee_id         TEXT NOT NULL REFERENCES agents(id),
            scenario_id        TEXT NOT NULL,
            title              TEXT NOT NULL DEFAULT '',
            hotline            TEXT NOT NULL DEFAULT '',
            difficulty         INTEGER NOT NULL DEFAULT 1,
            drill_id           TEXT NOT NULL DEFAULT '',
            score              INTEGER NOT NULL,
            duration_s         {REAL} NOT NULL,
            par_s              {REAL} NOT NULL DEFAULT 0,
            keystrokes         INTEGER NOT NULL DEFAULT 0,
            fastest_keystrokes INTEGER NOT NULL DEFAULT 0,
            hints              INTEGER NOT NULL DEFAULT 0,
            mentor_hints       INTEGER NOT NULL DEFAULT 0,
            hands              INTEGER NOT NULL DEFAULT 0,
            timeline           TEXT NOT NULL DEFAULT '[]',
            created_at         TEXT NOT NULL
        );
        CREATE INDEX practice_results_trainee ON practice_results(trainee_id, id);
        CREATE TABLE practice_result_items (
            result_id INTEGER NOT NULL REFERENCES practice_results(id),
            position  INTEGER NOT NULL,
            item_id   TEXT NOT NULL,
            label     TEXT NOT NULL DEFAULT '',
            skill     TEXT NOT NULL DEFAULT '',
            weight    INTEGER NOT NULL DEFAULT 0,
            met       INTEGER NOT NULL,
            at_s      {REAL},
            took_s    {REAL},
            why       TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (result_id, item_id)
        );
        CREATE TABLE practice_hands (
            id          {ID},
            trainee_id  TEXT NOT NULL REFERENCES agents(id),
            scenario_id TEXT NOT NULL DEFAULT '',
            step        TEXT NOT NULL DEFAULT '',
            note        TEXT NOT NULL DEFAULT '',
            status      TEXT NOT NULL DEFAULT 'raised'
                        CHECK (status IN ('raised','taken','answered','lowered')),
            mentor_id   TEXT REFERENCES agents(id),
            raised_at   TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        -- One hand up per trainee at a time.
        CREATE UNIQUE INDEX practice_hands_one_open ON practice_hands(trainee_id)
            WHERE status IN ('raised','taken');
        CREATE INDEX practice_hands_status ON practice_hands(status, id);
        CREATE TABLE practice_hints (
            id         {ID},
            trainee_id TEXT NOT NULL REFERENCES agents(id),
            mentor_id  TEXT NOT NULL REFERENCES agents(id),
            hand_id    INTEGER REFERENCES practice_hands(id),
            text       TEXT NOT NULL,
            canned     TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            seen_at    TEXT
        );
        CREATE INDEX practice_hints_trainee ON practice_hints(trainee_id, id);
        CREATE TABLE practice_activity (
            trainee_id  TEXT PRIMARY KEY REFERENCES agents(id),
            scenario_id TEXT NOT NULL DEFAULT '',
            title       TEXT NOT NULL DEFAULT '',
            step        TEXT NOT NULL DEFAULT '',
            updated_at  TEXT NOT NULL
        );
        """),
)
