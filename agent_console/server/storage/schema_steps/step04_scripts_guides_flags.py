"""Step 4: editable scripts, guided scripts, article flags, the knowledge base's split index."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import both, postgres, sqlite

PARTS = (
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
