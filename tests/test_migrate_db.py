"""`agent-console migrate-db`: a SQLite centre copied into PostgreSQL, resumed after an
interruption, counts verified, and the copy serves the same searches."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

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
