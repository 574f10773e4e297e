"""Step 14: SQLite's pair tables, so a phrase walks short doclists (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite

#: The pair tables: (table, column, the unigram FTS table (and column filter) it is
#: filled from). The backfill calls token_pairs(), which SQLiteCore registers on every
#: connection (phrase_match.token_pairs: the tokens are unicode61's, as FTS5's own).
#: A pair is two tokens joined by "|", a token character here (PAIR_JOIN).
PAIR_TOKENIZER = "tokenize = \"unicode61 remove_diacritics 2 tokenchars '|'\""
PAIR_TABLES = (
    ("callers_name_pairs", "name", "callers_name_fts"),
    ("callers_compound_pairs", "compound", "callers_compound_fts"),
    ("callers_address_pairs", "address", "callers_address_fts"),
    ("directory_name_pairs", "name", "directory_fts"),
    ("directory_address_pairs", "address", "directory_fts"),
    ("directory_department_pairs", "department", "directory_fts"),
)


def gram_table(table: str, column: str, source: str, grams: str = "token_pairs") -> str:
    """A contentless table of runs of tokens (pairs here; triples, fives in steps 16
    and 17), filled from `source` by the SQL function `grams` (SQLiteCore registers
    token_pairs, token_triples and token_fives on every connection)."""
    return f"""
        CREATE VIRTUAL TABLE {table} USING fts5(
            {column}, {PAIR_TOKENIZER}, content = ''
        );
        INSERT INTO {table}(rowid, {column})
            SELECT id, p FROM (SELECT rowid AS id, {grams}({column}) AS p FROM {source})
            WHERE p <> '';
        INSERT INTO {table}({table}) VALUES ('optimize');
        """


PARTS = (
    sqlite(
        """
        -- Issue 19: a phrase of Chinese characters ("王秀英", "呼伦贝尔南路青城公寓")
        -- made FTS5 walk the doclists of every character typed, and a common one is in
        -- a tenth of a million addresses: p95 2.4 ms for a name, 4-8 ms for an address,
        -- 4 ms per column for a directory name. Each text is indexed a second time as
        -- its pairs of adjacent tokens ("王|秀 秀|英", "beijing|university"), one
        -- contentless table per column (the directory's too: a column filter on a
        -- shared table walks the doclists of every column); a phrase of 2+ tokens is
        -- looked up as the phrase of its pairs, with the same hits
        -- (phrase_match.token_pairs), in 0.05 ms for a name. Rows are never deleted
        -- from these tables (callers and listings are only added), so contentless is
        -- enough.
        """
        + "".join(gram_table(*t) for t in PAIR_TABLES)
    ),
    postgres("""
        -- Issue 19: SQLite's pair tables; PostgreSQL's trigram and gram indexes already
        -- narrow a phrase to its rows.
        SELECT 1;
        """),
)
