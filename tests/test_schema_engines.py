"""The two engines' live schemas agree: a fresh SQLite file and a fresh PostgreSQL
database, both migrated by the server, have the same tables, the same columns with the
same type family and nullability, and the same indexes (columns, uniqueness, partial).

Only the search side differs, and the differences are listed here, each for its
reason: SQLite searches FTS5 tables, PostgreSQL token strings and gram tables; its
search indexes end in `id` (probes order by column, then id, as SQLite's index order
gives for free); its events table is the shared event bus's stream.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from agent_console.server.storage import open_storage
from tests.pgcluster import PgCluster

#: PostgreSQL's search tables, standing in for SQLite's FTS5 tables.
PG_SEARCH_TABLES = {
    "callers_text",
    "callers_grams",
    "directory_text",
    "directory_grams",
    "kb_text",
}
#: Indexes PostgreSQL has with `id` appended (an index range in id order).
PG_ID_SUFFIXED = {
    "callers_phone",
    "callers_phone_rev",
    "callers_account",
    "callers_name",
    "callers_initials",
    "directory_name",
    "directory_initials",
    "directory_number",
    "directory_number_rev",
}
#: Indexes only PostgreSQL has: the events stream is pruned by age there.
PG_ONLY_INDEXES = {"events_at"}
#: Type families: what a column holds, whatever the engine calls it.
FAMILIES = {
    "text": "text",
    "integer": "integer",
    "bigint": "integer",
    "real": "real",
    "double precision": "real",
    "timestamp with time zone": "time",
    "array": "array",
}
#: Columns whose type differs on purpose (the events stream: see schema step 7).
TYPE_DIFFS = {("events", "at"), ("events", "audience")}


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]
    unique: bool
    partial: bool


@dataclass(frozen=True)
class Schema:
    columns: dict[str, dict[str, tuple[str, bool]]]  # table -> column -> (family, nullable)
    indexes: dict[str, Index]


def sqlite_schema(path: Path) -> Schema:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%USING fts5%'"
            )
        ]
        fts = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
            )
        }
        # FTS5's shadow tables (<name>_data, _idx, _content, _docsize, _config).
        tables = [t for t in tables if not any(t.startswith(f + "_") for f in fts)]
        columns: dict[str, dict[str, tuple[str, bool]]] = {}
        indexes: dict[str, Index] = {}
        for table in tables:
            cols: dict[str, tuple[str, bool]] = {}
            for _cid, name, kind, notnull, _default, pk in conn.execute(
                f"PRAGMA table_info({table})"
            ):
                # A primary key holds no NULL on PostgreSQL; SQLite's pragma says
                # nullable for one that is not an INTEGER PRIMARY KEY (a quirk kept
                # for compatibility), though the server never stores one.
                cols[name] = (FAMILIES[str(kind).lower()], not notnull and not pk)
            columns[table] = cols
            for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
                if origin != "c":  # primary keys and UNIQUE constraints: in the columns
                    continue
                cols_of = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})"))
                indexes[name] = Index(table, cols_of, bool(unique), bool(partial))
        return Schema(columns, indexes)
    finally:
        conn.close()


def pg_schema(url: str) -> Schema:
    with psycopg.connect(url) as conn:
        columns: dict[str, dict[str, tuple[str, bool]]] = {}
        for table, name, kind, nullable in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM "
            "information_schema.columns WHERE table_schema = 'public' "
            "ORDER BY table_name, ordinal_position"
        ):
            columns.setdefault(table, {})[name] = (FAMILIES[kind.lower()], nullable == "YES")
        indexes: dict[str, Index] = {}
        for name, table, unique, partial, cols in conn.execute(
            "SELECT i.relname, t.relname, x.indisunique, x.indpred IS NOT NULL, "
            "ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(n, o) "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_namespace s ON s.oid = t.relnamespace "
            "WHERE s.nspname = 'public' AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        ):
            indexes[name] = Index(table, tuple(cols), bool(unique), bool(partial))
        return Schema(columns, indexes)


@pytest.fixture(scope="module")
def schemas(
    pg_cluster: PgCluster, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Schema, Schema]:
    path = tmp_path_factory.mktemp("schema") / "fresh.db"
    open_storage(str(path)).close()
    url = pg_cluster.create_database("compare_schema")
    open_storage(url).close()
    return sqlite_schema(path), pg_schema(url)


def test_the_same_tables(schemas: tuple[Schema, Schema]) -> None:
    lite, pg = schemas
    assert set(pg.columns) - PG_SEARCH_TABLES == set(lite.columns)


def test_the_same_columns_types_and_nullability(schemas: tuple[Schema, Schema]) -> None:
    lite, pg = schemas
    for table, cols in lite.columns.items():
        theirs = pg.columns[table]
        assert list(theirs) == list(cols), f"{table}: columns or their order differ"
        for name, (family, nullable) in cols.items():
            assert theirs[name][1] == nullable, f"{table}.{name}: nullability differs"
            if (table, name) not in TYPE_DIFFS:
                assert theirs[name][0] == family, f"{table}.{name}: type differs"


def test_the_same_indexes(schemas: tuple[Schema, Schema]) -> None:
    lite, pg = schemas
    search = {n for n, i in pg.indexes.items() if i.table in PG_SEARCH_TABLES}
    assert set(pg.indexes) - search - PG_ONLY_INDEXES == set(lite.indexes)
    for name, index in lite.indexes.items():
        theirs = pg.indexes[name]
        if name in PG_ID_SUFFIXED:
            assert theirs.columns[-1] == "id", name
            theirs = Index(theirs.table, theirs.columns[:-1], theirs.unique, theirs.partial)
        assert theirs == index, name
