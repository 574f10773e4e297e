"""The schema steps themselves (see schema.py for how a step becomes an engine's SQL)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """Some statements of a step: for both engines (engine "") or for one."""

    sql: str
    engine: str = ""
    #: PostgreSQL collates this part's TEXT columns as code points (see schema.py).
    collate: bool = True


def both(sql: str) -> Part:
    return Part(sql)


def sqlite(sql: str) -> Part:
    return Part(sql, "sqlite")


def postgres(sql: str, collate: bool = True) -> Part:
    return Part(sql, "postgres", collate)


#: Code points phrase_match counts as CJK (textkeys._CJK_RE), as a regex class.
_CJK_CLASS = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"

#: kb_text.grams for articles indexed before step 8, computed in SQL from the token
#: strings: every CJK character, and every two adjacent (CJK tokens are joined in a
#: token string, everything else is space-separated), as postgres/knowledge.kb_grams.
KB_GRAMS_BACKFILL = f"""
        CREATE FUNCTION pg_temp.kb_grams(col text, s text) RETURNS text[]
        LANGUAGE sql IMMUTABLE AS $$
            SELECT coalesce(array_agg(DISTINCT col || ':' || g), '{{}}')
            FROM (
                SELECT substr(s, i, n) AS g
                FROM generate_series(1, length(s)) AS i, (VALUES (1), (2)) AS w(n)
                WHERE substr(s, i, n) ~ ('^{_CJK_CLASS}{{' || n || '}}$')
            ) AS t
        $$;
        UPDATE kb_text SET grams = pg_temp.kb_grams('title', title)
            || pg_temp.kb_grams('tags', tags) || pg_temp.kb_grams('body', body);
        DROP FUNCTION pg_temp.kb_grams(text, text);
"""

# agents_role_check is named for PostgreSQL's step 5, which replaces it (SQLite's step 5
# rebuilds the table instead).
STEP_1 = (
    postgres("CREATE EXTENSION IF NOT EXISTS pg_trgm;"),
    both("""
        CREATE TABLE agents (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            role          TEXT NOT NULL CONSTRAINT agents_role_check
                          CHECK (role IN ('agent','trainee','mentor','supervisor')),
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
            id       {ID},
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
            id       {ID},
            name     TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL DEFAULT '',
            served   INTEGER NOT NULL DEFAULT 1,
            station  TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE callers (
            id             {ID},
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
        CREATE INDEX callers_phone ON callers(phone_digits{ORDER_ID});
        CREATE INDEX callers_phone_rev ON callers(phone_rev{ORDER_ID});
        CREATE INDEX callers_account ON callers(account_no{ORDER_ID}) WHERE account_no <> '';
        CREATE INDEX callers_name ON callers(name_key{ORDER_ID});
        CREATE INDEX callers_initials ON callers(initials{ORDER_ID});
        """),
    sqlite("""
        CREATE VIRTUAL TABLE callers_fts USING fts5(
            name, address, compound, tokenize = 'unicode61 remove_diacritics 2'
        );
        """),
    postgres("""
        -- The FTS5 table's counterpart: each column's token string, trigram-indexed,
        -- and the CJK grams of one and two characters, which trigrams cannot narrow.
        CREATE TABLE callers_text (
            id       INTEGER PRIMARY KEY REFERENCES callers(id),
            name     TEXT NOT NULL DEFAULT '',
            compound TEXT NOT NULL DEFAULT '',
            address  TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX callers_text_name ON callers_text USING gin (name gin_trgm_ops);
        CREATE INDEX callers_text_compound ON callers_text USING gin (compound gin_trgm_ops);
        CREATE INDEX callers_text_address ON callers_text USING gin (address gin_trgm_ops);
        CREATE TABLE callers_grams (
            col  TEXT NOT NULL,
            gram TEXT NOT NULL,
            id   INTEGER NOT NULL,
            PRIMARY KEY (col, gram, id)
        );
        """),
    both("""
        CREATE TABLE directory (
            id            {ID},
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
        CREATE INDEX directory_name ON directory(name_key{ORDER_ID});
        CREATE INDEX directory_initials ON directory(initials{ORDER_ID});
        CREATE INDEX directory_number ON directory(number_digits{ORDER_ID});
        CREATE INDEX directory_number_rev ON directory(number_rev{ORDER_ID});
        """),
    sqlite("""
        CREATE VIRTUAL TABLE directory_fts USING fts5(
            name, address, department, tokenize = 'unicode61 remove_diacritics 2'
        );
        """),
    postgres("""
        CREATE TABLE directory_text (
            id         INTEGER PRIMARY KEY REFERENCES directory(id),
            name       TEXT NOT NULL DEFAULT '',
            address    TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX directory_text_name ON directory_text USING gin (name gin_trgm_ops);
        CREATE INDEX directory_text_address ON directory_text USING gin (address gin_trgm_ops);
        CREATE INDEX directory_text_department
            ON directory_text USING gin (department gin_trgm_ops);
        CREATE TABLE directory_grams (
            col  TEXT NOT NULL,
            gram TEXT NOT NULL,
            id   INTEGER NOT NULL,
            PRIMARY KEY (col, gram, id)
        );
        """),
    both("""
        CREATE TABLE kb_articles (
            id           {ID},
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
        """),
    sqlite("""
        CREATE VIRTUAL TABLE kb_fts USING fts5(
            title, tags, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        """),
    both("""
        CREATE TABLE scripts (
            id          {ID},
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
            id           {ID},
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
            id        {ID},
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
        """),
)

STEP_2 = (
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

STEP_3 = (
    both("""
        -- Lookup at directory-inquiry speed (issue 3).
        -- Account probes bind their value, so the planner could never prove it non-empty
        -- and never used the partial index: every account lookup read the whole table
        -- (300+ ms at 1,000,000 callers). A plain index serves exact and prefix probes.
        DROP INDEX callers_account;
        CREATE INDEX callers_account ON callers(account_no{ORDER_ID});
        """),
    sqlite("""
        -- One FTS table per caller column. A column filter on the shared table walks
        -- the doclists of every column: a name probe for an address word cost 12-25 ms
        -- at 1,000,000 callers; on a table of its own it costs what its column holds.
        -- (PostgreSQL's per-column text tables exist since step 1.)
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
        """),
    both("""
        -- Calls placed to agents (simulated in the reference backend; a CTI adapter
        -- would record real ones): the screen-pop's call id.
        CREATE TABLE calls (
            id         {ID},
            agent_id   TEXT NOT NULL,
            number     TEXT NOT NULL,
            caller_id  INTEGER REFERENCES callers(id),
            source     TEXT NOT NULL DEFAULT 'simulated',
            started_at TEXT NOT NULL
        );
        CREATE INDEX calls_agent ON calls(agent_id, started_at);

        -- Who unmasked whose phone and ID, listed per caller for supervisors.
        CREATE INDEX audit_log_target ON audit_log(target, at);
        """),
)

STEP_4 = (
    both("""
        -- Issue 4: scripts editable by supervisors, guided scripts, article flags, and a
        -- knowledge-base index that title/tag probes can read without body text, with
        -- facets (hotline, language, tags) for filters.
        ALTER TABLE scripts ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE scripts ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

        CREATE TABLE guides (
            id         {ID},
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
            id          {ID},
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
        """),
    sqlite("""
        -- The index split in two so that title/tag probes never read body doclists,
        -- with prefix indexes for search-as-you-type on 1-3 Latin letters.
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
        """),
    postgres("""
        -- The two FTS5 tables' counterpart: token strings of title, tags, body and
        -- the facets (hotline, language, tags) the filters match.
        CREATE TABLE kb_text (
            id     INTEGER PRIMARY KEY REFERENCES kb_articles(id),
            title  TEXT NOT NULL DEFAULT '',
            tags   TEXT NOT NULL DEFAULT '',
            body   TEXT NOT NULL DEFAULT '',
            facets TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX kb_text_title ON kb_text USING gin (title gin_trgm_ops);
        CREATE INDEX kb_text_tags ON kb_text USING gin (tags gin_trgm_ops);
        CREATE INDEX kb_text_body ON kb_text USING gin (body gin_trgm_ops);
        """),
)

STEP_5 = (
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

STEP_6 = (
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

STEP_7 = (
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

STEP_8 = (
    sqlite("""
        -- Issue 8: PostgreSQL's knowledge base gets CJK grams and its text columns finer
        -- statistics; SQLite's FTS5 tables already answer 1- and 2-character Chinese.
        SELECT 1;
        """),
    postgres(
        f"""
        -- Issue 8: search at centre speed.
        -- A LIKE '%...%' on a token string is estimated from the column's histogram:
        -- with 100 entries one matching entry means 1%, so a phrase in 13 of 100,000
        -- addresses looked common, and `ORDER BY id LIMIT 20` walked the primary key
        -- through the whole table (54 ms) instead of the trigram index (1 ms).
        -- 1,000 entries tell rare from common.
        ALTER TABLE callers_text ALTER COLUMN name SET STATISTICS 1000;
        ALTER TABLE callers_text ALTER COLUMN compound SET STATISTICS 1000;
        ALTER TABLE callers_text ALTER COLUMN address SET STATISTICS 1000;
        ALTER TABLE directory_text ALTER COLUMN name SET STATISTICS 1000;
        ALTER TABLE directory_text ALTER COLUMN address SET STATISTICS 1000;
        ALTER TABLE directory_text ALTER COLUMN department SET STATISTICS 1000;
        ALTER TABLE kb_text ALTER COLUMN title SET STATISTICS 1000;
        ALTER TABLE kb_text ALTER COLUMN tags SET STATISTICS 1000;
        ALTER TABLE kb_text ALTER COLUMN body SET STATISTICS 1000;

        -- The knowledge base's CJK grams ("body:热", "tags:不热"; see
        -- postgres/knowledge.py): a rare Chinese character read every article (41 ms
        -- title, 107 ms body at 50,000) since trigrams cannot narrow 1-2 characters.
        ALTER TABLE kb_text ADD COLUMN grams text[] COLLATE "C" NOT NULL DEFAULT '{{}}';
        {KB_GRAMS_BACKFILL}
        CREATE INDEX kb_text_grams ON kb_text USING gin (grams);
        -- Element statistics for every gram, not the few hundred most common: a gram
        -- outside the list is guessed at 0.5% of the articles, and that guess made the
        -- planner walk the primary key (2.4 s on a loaded machine) for a rare one.
        ALTER TABLE kb_text ALTER COLUMN grams SET STATISTICS 10000;
        ANALYZE callers_text;
        ANALYZE directory_text;
        ANALYZE kb_text;
        """,
        collate=False,
    ),
)

STEP_9 = (
    both("""
        -- Issue 14: the sign-in throttle. One row per password checked, reserved before
        -- the check inside the write lock, so guesses sent at once (to any worker)
        -- cannot all slip under the limit; counted per agent number and client address
        -- (a stranger cannot lock an agent out at their own seat) and per address.
        CREATE TABLE login_attempts (
            id       {ID},
            at       TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            address  TEXT NOT NULL,
            outcome  TEXT NOT NULL DEFAULT 'pending'
                     CHECK (outcome IN ('pending','failed','unknown','ok','cleared'))
        );
        CREATE INDEX login_attempts_seat ON login_attempts(agent_id, address, at);
        CREATE INDEX login_attempts_address ON login_attempts(address, at);
        CREATE INDEX login_attempts_at ON login_attempts(at);
        """),
)

STEP_10 = (
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

STEP_12 = (
    both("""
        -- Issue 16: an agent's team (the board and the quality figures group by it).
        -- board-server's step (contract); the quality branch carries the same column so
        -- that its team figures work on their own: on merge, board-server's step wins.
        ALTER TABLE agents ADD COLUMN team TEXT NOT NULL DEFAULT '';
        """),
)

STEP_13 = (
    both("""
        -- Issue 16, the quality loop: closed tickets sampled for review (a ticket is
        -- sampled once: the unique key says so on both engines), scored per scorecard
        -- item (scores: JSON object item -> points), and the practice scenario a
        -- supervisor assigns from a weak item, linked to the practice result that ran it.
        CREATE TABLE reviews (
            id          {ID},
            agent_id    TEXT NOT NULL REFERENCES agents(id),
            ticket_id   INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
            status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','scored')),
            scores      TEXT NOT NULL DEFAULT '{}',
            comment     TEXT NOT NULL DEFAULT '',
            sampled_by  TEXT NOT NULL,
            sampled_at  TEXT NOT NULL,
            reviewer_id TEXT,
            scored_at   TEXT
        );
        CREATE INDEX reviews_agent ON reviews(agent_id, status, id);
        CREATE TABLE coaching (
            id             {ID},
            review_id      INTEGER NOT NULL REFERENCES reviews(id),
            agent_id       TEXT NOT NULL REFERENCES agents(id),
            item           TEXT NOT NULL,
            scenario_id    TEXT NOT NULL,
            scenario_title TEXT NOT NULL DEFAULT '',
            assigned_by    TEXT NOT NULL,
            assigned_at    TEXT NOT NULL,
            result_id      INTEGER REFERENCES practice_results(id)
        );
        CREATE INDEX coaching_agent ON coaching(agent_id, scenario_id, result_id);
        CREATE INDEX coaching_review ON coaching(review_id, id);
        -- The figures read a date range of calls, state changes and tickets.
        CREATE INDEX quality_calls_answered ON calls(answered_at);
        CREATE INDEX quality_state_log_at ON agent_state_log(at);
        CREATE INDEX quality_tickets_created ON tickets(area, created_at);
        """),
)

#: (version, parts) of every step, in order.
STEPS: list[tuple[int, tuple[Part, ...]]] = [
    (1, STEP_1),
    (2, STEP_2),
    (3, STEP_3),
    (4, STEP_4),
    (5, STEP_5),
    (6, STEP_6),
    (7, STEP_7),
    (8, STEP_8),
    (9, STEP_9),
    (10, STEP_10),
    (12, STEP_12),
    (13, STEP_13),
]
