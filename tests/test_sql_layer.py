"""The shared SQL layer on both engines: statements in one spelling, new ids from
insert(), and a refused row raised as the storage's own ConstraintViolation (never as
a driver's error), inside a transaction that then leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console.server.storage import ConstraintViolation, open_storage
from agent_console.server.storage.sql import dialect
from agent_console.server.storage.sql.core import SqlCore
from agent_console.server.storage.sql.dialect import POSTGRES, SQLITE
from tests.pgcluster import PgCluster

SESSION = "INSERT INTO sessions(token_hash, agent_id, created_at, expires_at) VALUES (?,?,?,?)"
AGENT = (
    "INSERT INTO agents(id, name, role, agent_no, password_hash) "
    "VALUES ('7001', 'A', 'agent', '7001', 'x')"
)


def test_the_dialects_spell_placeholders_their_way() -> None:
    sql = "SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE '%z' AND c IN (?,?)"
    assert SQLITE.sql(sql) == sql
    assert POSTGRES.sql(sql) == (
        "SELECT '?', \"a?\", x FROM t WHERE a = $1 AND b LIKE '%z' AND c IN ($2,$3)"
    )
    assert POSTGRES.sql("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1"


def test_a_statement_is_numbered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbering is made the first time a statement runs and kept: running it again
    costs a look-up, not another pass over its text."""
    sql = "SELECT id FROM t WHERE a = ? AND b = ? -- numbered once"
    first = POSTGRES.sql(sql)
    monkeypatch.setattr(dialect, "_QUOTED_OR_MARK", None)  # a second pass would fail
    assert POSTGRES.sql(sql) is first


def test_a_literal_percent_and_question_mark_reach_postgresql_as_written(
    storage: SqlCore,
) -> None:
    row = storage.one("SELECT '100%' AS a, 'why?' AS b, ? AS c, ? AS d", ("x%", 7))
    assert row == {"a": "100%", "b": "why?", "c": "x%", "d": 7}


@pytest.fixture(params=["sqlite", "postgres"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlCore]:
    if request.param == "sqlite":
        url = str(tmp_path / "layer.db")
    else:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database(f"layer_{tmp_path.name[-20:].replace('-', '_')}")
    store = open_storage(url)
    assert isinstance(store, SqlCore)
    yield store
    store.close()


def test_insert_gives_the_new_rows_id(storage: SqlCore) -> None:
    sql = "INSERT INTO audit_log(at, action) VALUES (?, ?)"
    with storage.write() as db:
        first = storage.insert(db, sql, ("2026-01-01", "a"))
        second = storage.insert(db, sql, ("2026-01-02", "b"))
    assert second == first + 1
    assert storage.one("SELECT action FROM audit_log WHERE id = ?", (second,)) == {"action": "b"}


def test_a_refused_row_is_a_constraint_violation(storage: SqlCore) -> None:
    with pytest.raises(ConstraintViolation), storage.write() as db:  # no such agent
        db.execute(SESSION, ("t1", "nobody", "2026", "2027"))
    with storage.write() as db:
        db.execute(AGENT)
        db.execute(SESSION, ("t1", "7001", "2026", "2027"))
    with pytest.raises(ConstraintViolation), storage.write() as db:  # the key is taken
        db.execute(SESSION, ("t2", "7001", "2026", "2027"))
        db.execute(SESSION, ("t1", "7001", "2026", "2027"))
    # The refused transaction left nothing behind, and the next write works.
    assert storage.all("SELECT token_hash FROM sessions") == [{"token_hash": "t1"}]
    with storage.write() as db:
        db.execute(SESSION, ("t3", "7001", "2026", "2027"))
