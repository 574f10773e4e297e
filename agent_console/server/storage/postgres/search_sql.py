"""The statements a search sends to PostgreSQL: one per probe (probe_sql_pg), and every
probe of a search in one statement (search_sql_pg), its hits' rows too
(search_rows_sql_pg). Built here, run by postgres/search.py and loop_search.py."""

from __future__ import annotations

from collections.abc import Sequence

from agent_console.server.phrase_match import gram_of, like_pattern, parse_phrase
from agent_console.server.search_plan import Probe
from agent_console.server.storage.sql.core import SearchTarget
from agent_console.server.textkeys import prefix_upper_bound


def probe_sql_pg(target: SearchTarget, probe: Probe, limit: int) -> tuple[str, tuple[object, ...]]:
    """The one statement a probe runs on PostgreSQL."""
    if probe.how == "fts":
        toks, prefix = parse_phrase(probe.value)
        if not toks:
            return "SELECT id FROM callers WHERE false", ()
        gram = gram_of(toks, prefix)
        if gram is not None:
            return (
                f"SELECT id FROM {target.table}_grams WHERE col = %s AND gram = %s "
                "ORDER BY id LIMIT %s",
                (probe.column, gram, limit),
            )
        pattern = like_pattern(toks, prefix)
        head = (target.table, probe.column) not in HEADLESS
        return phrase_sql_pg(f"{target.table}_text", probe.column, pattern, limit, head)
    col = target.columns[probe.column]
    if probe.how == "suffix":
        col = f"{col.removesuffix('_digits')}_rev"
    if probe.how == "exact":
        return (
            f"SELECT id FROM {target.table} WHERE {col} = %s ORDER BY id LIMIT %s",
            (probe.value, limit),
        )
    return (
        f"SELECT id FROM {target.table} WHERE {col} >= %s AND {col} < %s "
        f"ORDER BY {col}, id LIMIT %s",
        (probe.value, prefix_upper_bound(probe.value), limit),
    )


#: Rows of the lowest ids a phrase probe reads first, before the trigram index: a
#: phrase in 2% of the rows or more fills 20 hits there (a street); 1-2 ms at most.
HEAD_ROWS = 1000
#: Columns whose phrases match few rows (people's names; a compound is ~0.3% of the
#: callers): straight to the trigram index, without the head's 1-2 ms.
HEADLESS = frozenset({("callers", "name"), ("callers", "compound")})


def phrase_sql_pg(
    table: str, column: str, pattern: str, limit: int, head: bool = True
) -> tuple[str, tuple[object, ...]]:
    """The first `limit` ids (by id, FTS5's order) whose `column` matches a LIKE
    pattern of 3+ characters, in two steps that cannot go wrong together.

    `WHERE col LIKE p ORDER BY id LIMIT n` left the choice to the planner: walk the
    primary key until n rows match (right for a common phrase), or gather every match
    through the trigram index and sort (right for a rare one). Its guess of how common
    a phrase is came from a sample, and a rare street + compound taken for a common
    one walked the whole table: "中山路西河家园", 18 of 100,000 addresses, estimated
    200, 62 ms (EXPLAIN ANALYZE), past the search's budget; those were the partial
    searches left under bench/centre. Now the first HEAD_ROWS ids are read in id
    order; if `limit` of them match, they are the answer (no later id can come
    before them); if not, the phrase is rarer than limit/HEAD_ROWS and the trigram
    index gathers its matches (`id + 0`: never the primary key walk; the search's
    statement runs with seqscan off, see _timed_rows). Without `head` (a column of
    rare phrases), the trigram index alone."""
    rare = f"SELECT id FROM {table} WHERE {column} LIKE %s ORDER BY id + 0 LIMIT %s"
    if not head:
        return rare, (pattern, limit)
    first = (
        f"SELECT id FROM (SELECT id, {column} FROM {table} ORDER BY id LIMIT {HEAD_ROWS}) h "
        f"WHERE {column} LIKE %s ORDER BY id LIMIT %s"
    )
    sql = (
        f"SELECT unnest(CASE WHEN cardinality(f.a) >= %s THEN f.a ELSE ARRAY({rare}) END) "
        f"FROM (SELECT ARRAY({first}) AS a OFFSET 0) f"
    )
    return sql, (limit, pattern, limit, pattern, limit)


def batch_sql_pg(
    target: SearchTarget, probes: Sequence[Probe], limit: int
) -> tuple[str, tuple[object, ...]]:
    """One statement for several probes, every one of them run: one row, each probe's
    ids as an array in the probe's own order (ARRAY(subquery) keeps its ORDER BY)."""
    parts: list[str] = []
    params: list[object] = []
    for probe in probes:
        sql, values = probe_sql_pg(target, probe, limit)
        parts.append(f"ARRAY({sql})")
        params += values
    return "SELECT " + ", ".join(parts), tuple(params)


def search_sql_pg(
    target: SearchTarget, probes: Sequence[Probe], limit: int
) -> tuple[str, tuple[object, ...]]:
    """Every probe of a search in one statement, with the sequential loop's stop: a
    probe after the first runs only while the probes before it found fewer than
    `limit` distinct ids, else its column is NULL (never run: PostgreSQL computes an
    uncorrelated subquery only when the CASE reaches it). OFFSET 0 keeps each step a
    subquery of its own: pulled up, every later step would hold its own copy of the
    earlier probes (22 InitPlans for 4 probes, each run again).

    A search was a round trip per trigram probe (a name or an address of 3+ Chinese
    characters: 4 statements one after another). On a busy machine each round trip
    waits for the backend and then the worker to get a core, and those waits, not
    the probes (0.05-0.3 ms each under EXPLAIN ANALYZE), ran the searches out of their
    budget: 235 of 2,587 address searches partial under bench/centre at load 18."""
    froms: list[str] = []
    params: list[object] = []
    names: list[str] = []
    for n, probe in enumerate(probes):
        sql, values = probe_sql_pg(target, probe, limit)
        if not names:
            froms.append(f"(SELECT ARRAY({sql}) AS a0 OFFSET 0) s0")
        else:
            before = " || ".join(names)
            froms.append(
                f"CROSS JOIN LATERAL (SELECT CASE WHEN (SELECT count(DISTINCT i) FROM "
                f"unnest({before}) i) >= %s THEN NULL ELSE ARRAY({sql}) END AS a{n} OFFSET 0) s{n}"
            )
            params.append(limit)
        params += values
        names.append(f"a{n}")
    return f"SELECT {', '.join(names)} FROM {' '.join(froms)}", tuple(params)


def search_rows_sql_pg(
    target: SearchTarget, probes: Sequence[Probe], limit: int, rows: str
) -> tuple[str, tuple[object, ...]]:
    """search_sql_pg with the hits' rows in the same statement: one row per hit (the
    probes' arrays repeated on each), or one row of NULLs after the arrays when none.
    The hits are the first `limit` distinct ids of the arrays in probe order, as
    _take reads them; `rows` is a fetch_in_order select (`... WHERE x.id IN `).

    The rows were a second round trip per search (a statement, its parse, psycopg's
    send path: the largest share of the workers' CPU under bench/centre)."""
    sql, params = search_sql_pg(target, probes, limit)
    names = [f"s.a{n}" for n in range(len(probes))]
    hits = (
        f"(SELECT u.i FROM unnest({' || '.join(names)}) WITH ORDINALITY u(i, o) "
        f"GROUP BY u.i ORDER BY min(u.o) LIMIT %s)"
    )
    return (
        f"SELECT s.*, r.* FROM ({sql} OFFSET 0) s LEFT JOIN LATERAL ({rows}{hits}) r ON true",
        (*params, limit),
    )
