"""Step 17: SQLite's tables of runs of five tokens, for long addresses and names (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite
from agent_console.server.storage.schema_steps.step14_lookup_pairs import gram_table

#: (table, column, the unigram FTS table it is filled from), as steps 14 and 16: the
#: columns where an agent types five characters or more (addresses, organisations).
FIVE_TABLES = (
    ("callers_address_fives", "address", "callers_address_fts"),
    ("directory_name_fives", "name", "directory_fts"),
    ("directory_address_fives", "address", "directory_fts"),
    ("directory_department_fives", "department", "directory_fts"),
)


PARTS = (
    sqlite(
        """
        -- Issue 19: an address typed as street and compound ("丰州路望园花园", 7
        -- characters), as the phrase of its triples (step 16), walked the doclists of
        -- its street's triples (丰州路: 50,000 addresses) page by page to its 20th hit:
        -- p50 0.24 ms. Its runs of five span street and compound, which ~150 addresses
        -- share: p50 0.07 ms, the same hits. A phrase of 5+ tokens is looked up as the
        -- phrase of its runs of five (phrase_match.token_fives); one contentless table
        -- per column where agents type that much, rows never deleted, as steps 14/16.
        """
        + "".join(gram_table(*t, "token_fives") for t in FIVE_TABLES)
    ),
    postgres("""
        -- Issue 19: SQLite's tables of fives; PostgreSQL's trigram and gram indexes
        -- already narrow a phrase to its rows.
        SELECT 1;
        """),
)
