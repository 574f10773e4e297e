"""Step 18: SQLite's table of runs of seven tokens, for addresses (issue 19)."""

from __future__ import annotations

from agent_console.server.storage.schema_steps.parts import postgres, sqlite
from agent_console.server.storage.schema_steps.step14_lookup_pairs import gram_table

#: (table, column, the unigram FTS table it is filled from), as steps 14, 16 and 17:
#: the columns where agents type seven characters or more.
SEVEN_TABLES = (
    ("callers_address_sevens", "address", "callers_address_fts"),
    ("directory_name_sevens", "name", "directory_fts"),
    ("directory_address_sevens", "address", "directory_fts"),
)


PARTS = (
    sqlite(
        """
        -- Issue 19: an address typed as a street of six characters and its compound
        -- ("鄂尔多斯大街银河雅居"), as the phrase of its runs of five (step 17), walked
        -- the doclists of the two runs inside the street (50,000 of a million
        -- addresses each) to every one of its hits: p95 117 us for the address probe
        -- alone over the lookup bench's 200 address queries. Every run of seven
        -- spans street and compound: p95 28 us, the same hits. A phrase of 7+ tokens
        -- is looked up as the phrase of its runs of seven (phrase_match.token_sevens);
        -- addresses and organisations (where agents type that much: "赛罕区新华社区
        -- 服务中心"), rows never deleted, as 14-17. A million addresses: 27 s, 76 MB.
        """
        + "".join(gram_table(*t, "token_sevens") for t in SEVEN_TABLES)
    ),
    postgres("""
        -- Issue 19: SQLite's table of sevens; PostgreSQL's trigram and gram indexes
        -- already narrow a phrase to its rows.
        SELECT 1;
        """),
)
