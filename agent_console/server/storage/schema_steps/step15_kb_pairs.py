"""Step 15: SQLite's knowledge base gets pair tables too (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite

PARTS = (
    sqlite("""
        -- Issue 19: a Chinese phrase that no article holds ("暖气片 排气": the body
        -- phrase 暖气片排气) made FTS5 read the whole position lists of each of its
        -- characters in 50,000 bodies to find no adjacent run: 10-15 ms a search. As
        -- for callers (step 14), each text is indexed again as its pairs of adjacent
        -- CJK characters (cjk_pairs), with the same facets, so a phrase of 2+ CJK
        -- characters is the phrase of its pairs (a rare pair ends the walk early), the
        -- filters unchanged. Articles are edited, so these tables keep their content
        -- (a contentless table cannot delete a row on this SQLite).
        CREATE VIRTUAL TABLE kb_head_pairs USING fts5(
            title, tags, facets, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE kb_body_pairs USING fts5(
            body, facets, tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO kb_head_pairs(rowid, title, tags, facets)
            SELECT rowid, cjk_pairs(title), cjk_pairs(tags), facets FROM kb_head_fts;
        INSERT INTO kb_body_pairs(rowid, body, facets)
            SELECT rowid, cjk_pairs(body), facets FROM kb_body_fts;
        INSERT INTO kb_head_pairs(kb_head_pairs) VALUES ('optimize');
        INSERT INTO kb_body_pairs(kb_body_pairs) VALUES ('optimize');
        """),
    postgres("""
        -- Issue 19: SQLite's knowledge-base pair tables; PostgreSQL's grams and trigram
        -- indexes already narrow a phrase to its rows.
        SELECT 1;
        """),
)
