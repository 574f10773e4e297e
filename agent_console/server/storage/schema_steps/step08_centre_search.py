"""Step 8: search at centre speed: finer statistics and the knowledge base's CJK grams
(PostgreSQL)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite

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

PARTS = (
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
