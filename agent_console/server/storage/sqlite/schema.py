"""Numbered schema steps, applied in order at start; a newer database is refused."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE agents (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            role          TEXT NOT NULL CHECK (role IN ('agent','trainee','mentor','supervisor')),
            agent_no      TEXT NOT NULL,
            hotline       TEXT NOT NULL DEFAULT '',
            language      TEXT NOT NULL DEFAULT 'zh',
            password_hash TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            agent_id   TEXT NOT NULL REFERENCES agents(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE INDEX sessions_agent ON sessions(agent_id);
        CREATE TABLE audit_log (
            id       INTEGER PRIMARY KEY,
            at       TEXT NOT NULL,
            agent_id TEXT,
            action   TEXT NOT NULL,
            target   TEXT NOT NULL DEFAULT '',
            detail   TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_log_at ON audit_log(at);

        CREATE TABLE hotlines (
            code TEXT PRIMARY KEY, kind TEXT NOT NULL,
            name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
            centre_zh TEXT NOT NULL, centre_en TEXT NOT NULL
        );
        CREATE TABLE stations (
            code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
            hotline TEXT NOT NULL, district TEXT NOT NULL, phone TEXT NOT NULL
        );
        CREATE TABLE compounds (
            id       INTEGER PRIMARY KEY,
            name     TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL DEFAULT '',
            served   INTEGER NOT NULL DEFAULT 1,
            station  TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE callers (
            id             INTEGER PRIMARY KEY,
            name           TEXT NOT NULL,
            name_key       TEXT NOT NULL,
            initials       TEXT NOT NULL,
            phone          TEXT NOT NULL,
            phone_digits   TEXT NOT NULL,
            phone_rev      TEXT NOT NULL,
            account_no     TEXT NOT NULL DEFAULT '',
            address        TEXT NOT NULL DEFAULT '',
            compound       TEXT NOT NULL DEFAULT '',
            language       TEXT NOT NULL DEFAULT 'zh',
            id_number      TEXT NOT NULL DEFAULT '',
            account_status TEXT NOT NULL DEFAULT 'active',
            customer_since TEXT NOT NULL DEFAULT '',
            notes          TEXT NOT NULL DEFAULT '',
            created_at     TEXT NOT NULL
        );
        CREATE INDEX callers_phone ON callers(phone_digits);
        CREATE INDEX callers_phone_rev ON callers(phone_rev);
        CREATE INDEX callers_account ON callers(account_no) WHERE account_no <> '';
        CREATE INDEX callers_name ON callers(name_key);
        CREATE INDEX callers_initials ON callers(initials);
        CREATE VIRTUAL TABLE callers_fts USING fts5(
            name, address, compound, tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TABLE directory (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL,
            name_en       TEXT NOT NULL DEFAULT '',
            name_key      TEXT NOT NULL,
            initials      TEXT NOT NULL,
            number        TEXT NOT NULL,
            number_digits TEXT NOT NULL,
            number_rev    TEXT NOT NULL,
            address       TEXT NOT NULL DEFAULT '',
            department    TEXT NOT NULL DEFAULT '',
            category      TEXT NOT NULL DEFAULT '',
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX directory_name ON directory(name_key);
        CREATE INDEX directory_initials ON directory(initials);
        CREATE INDEX directory_number ON directory(number_digits);
        CREATE INDEX directory_number_rev ON directory(number_rev);
        CREATE VIRTUAL TABLE directory_fts USING fts5(
            name, address, department, tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TABLE kb_articles (
            id           INTEGER PRIMARY KEY,
            slug         TEXT NOT NULL UNIQUE,
            title        TEXT NOT NULL,
            language     TEXT NOT NULL DEFAULT 'zh',
            hotline      TEXT NOT NULL DEFAULT 'all',
            tags         TEXT NOT NULL DEFAULT '[]',
            short_answer TEXT NOT NULL DEFAULT '',
            body         TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            updated_by   TEXT NOT NULL DEFAULT ''
        );
        CREATE VIRTUAL TABLE kb_fts USING fts5(
            title, tags, body, tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TABLE scripts (
            id          INTEGER PRIMARY KEY,
            hotline     TEXT NOT NULL,
            stage       TEXT NOT NULL,
            language    TEXT NOT NULL,
            time_of_day TEXT NOT NULL DEFAULT 'any',
            title       TEXT NOT NULL,
            body        TEXT NOT NULL,
            sort        INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX scripts_hotline ON scripts(hotline, language, stage);

        CREATE TABLE ticket_categories (
            id               TEXT PRIMARY KEY,
            parent           TEXT NOT NULL DEFAULT '',
            name_zh          TEXT NOT NULL,
            name_en          TEXT NOT NULL,
            hotline          TEXT NOT NULL DEFAULT '',
            priority_default TEXT NOT NULL DEFAULT 'normal',
            sort             INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE tickets (
            id           INTEGER PRIMARY KEY,
            area         TEXT NOT NULL DEFAULT 'production'
                         CHECK (area IN ('production','practice')),
            caller_id    INTEGER REFERENCES callers(id),
            category     TEXT NOT NULL REFERENCES ticket_categories(id),
            priority     TEXT NOT NULL DEFAULT 'normal',
            source       TEXT NOT NULL DEFAULT 'hotline',
            summary      TEXT NOT NULL,
            notes        TEXT NOT NULL DEFAULT '',
            station_id   TEXT NOT NULL DEFAULT '',
            status       TEXT NOT NULL DEFAULT 'new',
            callback_due TEXT,
            satisfaction INTEGER,
            satisfaction_comment TEXT NOT NULL DEFAULT '',
            created_by   TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX tickets_caller ON tickets(area, caller_id, created_at);
        CREATE INDEX tickets_status ON tickets(area, status, created_at);
        CREATE TABLE ticket_events (
            id        INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            at        TEXT NOT NULL,
            agent_id  TEXT NOT NULL,
            change    TEXT NOT NULL
        );
        CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at);
        CREATE TABLE idempotency (
            agent_id     TEXT NOT NULL,
            key          TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
            created_at   TEXT NOT NULL,
            PRIMARY KEY (agent_id, key)
        );
        """,
    ),
    (
        2,
        """
        CREATE TABLE sms (
            id         INTEGER PRIMARY KEY,
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
        """,
    ),
    (
        3,
        """
        -- Lookup at directory-inquiry speed (issue 3).
        -- Account probes bind their value, so the planner could never prove it non-empty
        -- and never used the partial index: every account lookup read the whole table
        -- (300+ ms at 1,000,000 callers). A plain index serves exact and prefix probes.
        DROP INDEX callers_account;
        CREATE INDEX callers_account ON callers(account_no);

        -- One FTS table per caller column. A column filter on the shared table walks
        -- the doclists of every column: a name probe for an address word cost 12-25 ms
        -- at 1,000,000 callers; on a table of its own it costs what its column holds.
        CREATE VIRTUAL TABLE callers_name_fts USING fts5(
            name, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE callers_compound_fts USING fts5(
            compound, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE callers_address_fts USING fts5(
            address, tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO callers_name_fts(rowid, name) SELECT rowid, name FROM callers_fts;
        INSERT INTO callers_compound_fts(rowid, compound)
            SELECT rowid, compound FROM callers_fts WHERE compound <> '';
        INSERT INTO callers_address_fts(rowid, address)
            SELECT rowid, address FROM callers_fts WHERE address <> '';
        DROP TABLE callers_fts;
        -- Writers insert one row of searchable text (already spaced per CJK character);
        -- the trigger fans it out to the three tables.
        CREATE VIEW callers_text(id, name, compound, address) AS
            SELECT n.rowid, n.name, '', '' FROM callers_name_fts n;
        CREATE TRIGGER callers_text_insert INSTEAD OF INSERT ON callers_text
        BEGIN
            INSERT INTO callers_name_fts(rowid, name) VALUES (NEW.id, NEW.name);
            INSERT INTO callers_compound_fts(rowid, compound)
                SELECT NEW.id, NEW.compound WHERE NEW.compound <> '';
            INSERT INTO callers_address_fts(rowid, address)
                SELECT NEW.id, NEW.address WHERE NEW.address <> '';
        END;

        -- Calls placed to agents (simulated in the reference backend; a CTI adapter
        -- would record real ones): the screen-pop's call id.
        CREATE TABLE calls (
            id         INTEGER PRIMARY KEY,
            agent_id   TEXT NOT NULL,
            number     TEXT NOT NULL,
            caller_id  INTEGER REFERENCES callers(id),
            source     TEXT NOT NULL DEFAULT 'simulated',
            started_at TEXT NOT NULL
        );
        CREATE INDEX calls_agent ON calls(agent_id, started_at);

        -- Who unmasked whose phone and ID, listed per caller for supervisors.
        CREATE INDEX audit_log_target ON audit_log(target, at);
        """,
    ),
    (
        4,
        """
        -- Issue 4: scripts editable by supervisors, guided scripts, article flags, and a
        -- knowledge-base index split in two so that title/tag probes never read body
        -- doclists, with facet tokens (hl<hotline>, lang<language>, tags) for filters and
        -- prefix indexes for search-as-you-type on 1-3 Latin letters.
        ALTER TABLE scripts ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE scripts ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

        CREATE TABLE guides (
            id         INTEGER PRIMARY KEY,
            slug       TEXT NOT NULL UNIQUE,
            hotline    TEXT NOT NULL,
            language   TEXT NOT NULL,
            title      TEXT NOT NULL,
            keywords   TEXT NOT NULL DEFAULT '[]',
            category   TEXT NOT NULL DEFAULT '',
            priority   TEXT NOT NULL DEFAULT 'normal',
            summary    TEXT NOT NULL DEFAULT '',
            start      TEXT NOT NULL,
            steps      TEXT NOT NULL,
            sort       INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT '',
            updated_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX guides_hotline ON guides(hotline, language, sort);

        CREATE TABLE kb_flags (
            id          INTEGER PRIMARY KEY,
            article_id  INTEGER NOT NULL REFERENCES kb_articles(id),
            agent_id    TEXT NOT NULL,
            reason      TEXT NOT NULL CHECK (reason IN ('outdated','wrong','other')),
            comment     TEXT NOT NULL DEFAULT '',
            status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
            created_at  TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX kb_flags_article ON kb_flags(article_id, status);
        CREATE INDEX kb_flags_status ON kb_flags(status, id);

        CREATE INDEX kb_articles_updated ON kb_articles(updated_at);
        CREATE INDEX kb_articles_hotline ON kb_articles(hotline, updated_at);

        CREATE VIRTUAL TABLE kb_head_fts USING fts5(
            title, tags, facets, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        );
        CREATE VIRTUAL TABLE kb_body_fts USING fts5(
            body, facets, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
        );
        INSERT INTO kb_head_fts(rowid, title, tags, facets)
            SELECT f.rowid, f.title, f.tags,
                   'hl' || a.hotline || ' lang' || a.language || ' ' || f.tags
            FROM kb_fts f JOIN kb_articles a ON a.id = f.rowid;
        INSERT INTO kb_body_fts(rowid, body, facets)
            SELECT f.rowid, f.body,
                   'hl' || a.hotline || ' lang' || a.language || ' ' || f.tags
            FROM kb_fts f JOIN kb_articles a ON a.id = f.rowid;
        DROP TABLE kb_fts;
        """,
    ),
    (
        5,
        """
        -- Issue 5: the closed loop, field stations, agent state.
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

        -- What each agent is doing now (supervisors watch it), and every change.
        CREATE TABLE agent_states (
            agent_id   TEXT PRIMARY KEY REFERENCES agents(id),
            state      TEXT NOT NULL CHECK (state IN ('ready','not_ready','acw','on_call')),
            reason     TEXT NOT NULL DEFAULT '',
            since      TEXT NOT NULL,
            call_id    INTEGER
        );
        CREATE TABLE agent_state_log (
            id       INTEGER PRIMARY KEY,
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
        """,
    ),
    (
        6,
        """
        -- Practice mode: results per trainee (items and timeline for the debrief and the
        -- mentor's review), raised hands, mentor hints, what each trainee is doing now.
        -- Practice tickets and SMS stay in tickets/sms with area = 'practice'.
        CREATE TABLE practice_results (
            id                 INTEGER PRIMARY KEY,
            trainee_id         TEXT NOT NULL REFERENCES agents(id),
            scenario_id        TEXT NOT NULL,
            title              TEXT NOT NULL DEFAULT '',
            hotline            TEXT NOT NULL DEFAULT '',
            difficulty         INTEGER NOT NULL DEFAULT 1,
            drill_id           TEXT NOT NULL DEFAULT '',
            score              INTEGER NOT NULL,
            duration_s         REAL NOT NULL,
            par_s              REAL NOT NULL DEFAULT 0,
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
            at_s      REAL,
            took_s    REAL,
            why       TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (result_id, item_id)
        );
        CREATE TABLE practice_hands (
            id          INTEGER PRIMARY KEY,
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
            id         INTEGER PRIMARY KEY,
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
        """,
    ),
    (
        7,
        """
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
        """,
    ),
    (
        8,
        """
        -- Issue 8: PostgreSQL's knowledge base gets CJK grams and its text columns finer
        -- statistics; SQLite's FTS5 tables already answer 1- and 2-character Chinese.
        SELECT 1;
        """,
    ),
    (
        9,
        """
        -- Issue 14: the sign-in throttle. One row per password checked, reserved before
        -- the check inside the write lock, so guesses sent at once (to any worker)
        -- cannot all slip under the limit; counted per agent number and client address
        -- (a stranger cannot lock an agent out at their own seat) and per address.
        CREATE TABLE login_attempts (
            id       INTEGER PRIMARY KEY,
            at       TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            address  TEXT NOT NULL,
            outcome  TEXT NOT NULL DEFAULT 'pending'
                     CHECK (outcome IN ('pending','failed','unknown','ok','cleared'))
        );
        CREATE INDEX login_attempts_seat ON login_attempts(agent_id, address, at);
        CREATE INDEX login_attempts_address ON login_attempts(address, at);
        CREATE INDEX login_attempts_at ON login_attempts(at);
        """,
    ),
    (
        10,
        """
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
        """,
    ),
]

LATEST = max(version for version, _ in MIGRATIONS)
