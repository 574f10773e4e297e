"""Step 16: SQLite's triple tables, so a phrase of common pairs ends early (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite
from agent_console.server.storage.schema_steps.step14_lookup_pairs import gram_table

#: The triple tables: (table, column, the unigram FTS table it is filled from), as the
#: pair tables of step 14. A triple is three tokens joined by "|" (PAIR_JOIN).
TRIPLE_TABLES = (
    ("callers_name_triples", "name", "callers_name_fts"),
    ("callers_compound_triples", "compound", "callers_compound_fts"),
    ("callers_address_triples", "address", "callers_address_fts"),
    ("directory_name_triples", "name", "directory_fts"),
    ("directory_address_triples", "address", "directory_fts"),
    ("directory_department_triples", "department", "directory_fts"),
)


PARTS = (
    sqlite(
        """
        -- Issue 19: a phrase of pairs that are each common and often in one row, but
        -- never side by side, made FTS5 walk their long doclists to the end to find
        -- nothing ("小区大学" in a million addresses: 5 ms; "花园小区": 1.2 ms in
        -- addresses and again in compounds), and an address (street and compound) took
        -- 0.4 ms to reach its 20th hit. Each text is indexed a third time as its runs
        -- of three adjacent tokens ("小|区|大"), one contentless table per column as
        -- the pairs; a phrase of 3+ tokens is looked up as the phrase of its triples
        -- (phrase_match.token_triples), with the same hits: no-match phrases 0.03 ms,
        -- addresses p50 0.18 ms. Rows are never deleted, as in the pair tables.
        """
        + "".join(gram_table(*t, "token_triples") for t in TRIPLE_TABLES)
    ),
    postgres("""
        -- Issue 19: SQLite's triple tables; PostgreSQL's trigram and gram indexes already
        -- narrow a phrase to its rows.
        SELECT 1;
        """),
)
