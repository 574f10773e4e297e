"""Step 1: the first schema: agents and sessions, callers, directory, knowledge base, scripts,
categories, tickets, and each engine's search tables."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both, postgres, sqlite

# agents_role_check is named for PostgreSQL's step 5, which replaces it (SQLite's step 5
# rebuilds the table instead).
PARTS = (
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
