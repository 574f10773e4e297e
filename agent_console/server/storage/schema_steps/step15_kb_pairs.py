"""Step 15: SQLite's knowledge base gets pair tables too (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite
from agent_console.server.storage.schema_steps.step14_lookup_pairs import PAIR_TOKENIZER

PARTS = (
    sqlite(f"""
        -- Issue 19: a phrase that no article holds ("暖气片 排气", "radiator valve")
        -- made FTS5 read the whole position lists of each of its tokens in 50,000
        -- bodies to find no adjacent run: 10-20 ms a search. As for callers (step 14),
        -- each text is indexed again as its pairs of adjacent tokens (token_pairs),
        -- with the same facets, so a phrase of 2+ tokens is the phrase of its pairs (a
        -- rare pair ends the walk early), the filters unchanged. Articles are edited,
        -- so these tables keep their content (a contentless table cannot delete a row
        -- on this SQLite).
        CREATE VIRTUAL TABLE kb_head_pairs USING fts5(
            title, tags, facets, {PAIR_TOKENIZER}
        );
        CREATE VIRTUAL TABLE kb_body_pairs USING fts5(
            body, facets, {PAIR_TOKENIZER}
        );
        INSERT INTO kb_head_pairs(rowid, title, tags, facets)
            SELECT rowid, token_pairs(title), token_pairs(tags), facets FROM kb_head_fts;
        INSERT INTO kb_body_pairs(rowid, body, facets)
            SELECT rowid, token_pairs(body), facets FROM kb_body_fts;
        INSERT INTO kb_head_pairs(kb_head_pairs) VALUES ('optimize');
        INSERT INTO kb_body_pairs(kb_body_pairs) VALUES ('optimize');
        """),
    postgres("""
        -- Issue 19: SQLite's knowledge-base pair tables; PostgreSQL's grams and trigram
        -- indexes already narrow a phrase to its rows.
        SELECT 1;
        """),
)
