"""`agent-console migrate-db`: a SQLite centre copied into PostgreSQL, resumed after an
interruption, counts verified, and the copy serves the same searches."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from agent_console.cli import main
from agent_console.server.storage import open_storage
from agent_console.server.storage.postgres import PostgresStorage
from agent_console.server.storage.postgres.copy import TABLES, copy_table
from tests.pgcluster import PgCluster


def test_a_centre_moves_to_postgres_even_when_the_copy_is_interrupted(
    demo_db_template: Path,
    pg_cluster: PgCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "centre.db"
    shutil.copy(demo_db_template, source)
    lite = open_storage(str(source))
    ticket, _ = lite.create_ticket(
        {"caller_id": 3, "category": "heat.no_heat", "summary": "整户不热"}, "1001", "k1", "h1"
    )
    lite.close()
    url = pg_cluster.create_database("migrated")

    # An interrupted first run: half the tables, the callers cut after one batch.
    src = sqlite3.connect(source)
    src.row_factory = sqlite3.Row
    pg = PostgresStorage(url)
    import agent_console.server.storage.postgres.copy as copy_mod

    for table in TABLES[: TABLES.index("callers")]:
        copy_table(src, pg, table, None)
    old_batch, copy_mod.BATCH = copy_mod.BATCH, 40
    try:
        copy_table(src, pg, "callers", None)  # all of them, 40 at a time...
        pg.db.execute("DELETE FROM callers_grams WHERE id > 40")
        pg.db.execute("DELETE FROM callers_text WHERE id > 40")
        pg.db.execute("DELETE FROM callers WHERE id > 40")  # ...as if it stopped after one
    finally:
        copy_mod.BATCH = old_batch
    src.close()
    pg.close()

    assert main(["migrate-db", "--from", str(source), "--to", url]) == 0
    out = capsys.readouterr().out
    assert "tickets" in out and "callers_text" in out

    lite, pg = open_storage(str(source)), open_storage(url)
    try:
        assert pg.counts() == lite.counts()
        assert pg.get_ticket(ticket["id"], "production")["summary"] == "整户不热"  # type: ignore[index]
        for q in ("王", "海东", "1390", "wf", "海东花园"):
            assert [r["id"] for r in pg.search_callers(q, 20).items] == [
                r["id"] for r in lite.search_callers(q, 20).items
            ], q
        created = pg.create_caller({"name": "新来电", "phone": "13900000001"})
        assert created["id"] == lite.counts()["callers"] + 1  # ids continue after the copy
    finally:
        lite.close()
        pg.close()


def test_migrate_db_refuses_a_target_that_is_not_postgres(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["migrate-db", "--from", str(tmp_path / "x.db"), "--to", str(tmp_path / "y.db")])


def _schema(url: str) -> set[tuple[str, ...]]:
    """Every index and constraint of a database, by name and definition."""
    import psycopg

    with psycopg.connect(url) as conn:
        indexes = conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        ).fetchall()
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        ).fetchall()
        return {("index", *r) for r in indexes} | {("constraint", *r) for r in constraints}


def test_a_copy_stopped_inside_a_copy_resumes_and_builds_every_index(
    demo_db_template: Path,
    pg_cluster: PgCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl+C while the callers' gram rows stream in: that batch is rolled back, the
    search indexes dropped for the load stay recorded, and the next run copies the rest
    and builds every index and constraint the schema has."""
    import agent_console.server.storage.postgres.copy as copy_mod
    from agent_console.server.storage.postgres.core import Connection

    source = tmp_path / "centre.db"
    shutil.copy(demo_db_template, source)
    fresh = pg_cluster.create_database("fresh")
    PostgresStorage(fresh).close()  # the schema as the server makes it
    url = pg_cluster.create_database("stopped")

    monkeypatch.setattr(copy_mod, "BATCH", 40)
    real_copy = Connection.copy_text
    batches: list[str] = []

    def stopped_in_the_second_batch(
        self: Connection, table: str, columns: Any, chunks: Any
    ) -> None:
        if table == "callers_grams":
            batches.append(table)
        if len(batches) < 2 or table != "callers_grams":
            return real_copy(self, table, columns, chunks)

        def some_then_ctrl_c() -> Any:
            lines = "".join(chunks).splitlines(keepends=True)
            yield "".join(lines[:10])  # these reach the server, then the copy stops
            raise KeyboardInterrupt

        return real_copy(self, table, columns, some_then_ctrl_c())

    monkeypatch.setattr(Connection, "copy_text", stopped_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        main(["migrate-db", "--from", str(source), "--to", url])
    monkeypatch.setattr(Connection, "copy_text", real_copy)

    pg = PostgresStorage(url)
    try:
        assert pg.db.execute("SELECT count(*) FROM callers").fetchone()[0] == 40  # batch 1
        assert pg.db.execute("SELECT count(*) FROM callers_grams WHERE id > 40").fetchone()[0] == 0
        left = {r[0] for r in pg.db.execute("SELECT name FROM migrate_deferred").fetchall()}
        assert {"callers_text_name", "callers_grams_pkey", "callers_text_id_fkey"} <= left
    finally:
        pg.close()
    capsys.readouterr()

    assert main(["migrate-db", "--from", str(source), "--to", url]) == 0
    assert "index built: callers_text_name" in capsys.readouterr().err
    assert _schema(url) == _schema(fresh)
    lite, pg = open_storage(str(source)), open_storage(url)
    try:
        assert pg.counts() == lite.counts()
        for q in ("王", "海东", "1390", "wf", "海东花园"):
            assert [r["id"] for r in pg.search_callers(q, 20).items] == [
                r["id"] for r in lite.search_callers(q, 20).items
            ], q
    finally:
        lite.close()
        pg.close()
