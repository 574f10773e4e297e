"""Step 3: lookup at directory-inquiry speed, and calls."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both, sqlite

PARTS = (
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
