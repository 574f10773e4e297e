"""Schema steps: applied once each, in order, even when merged out of order; a database
from a newer server is refused instead of being half-understood."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.server.storage import StorageError, open_storage
from agent_console.server.storage.sqlite import schema


def versions(db: Path) -> list[int]:
    storage = open_storage(str(db))
    rows = [r[0] for r in storage.db.execute("SELECT version FROM schema_version ORDER BY version")]
    storage.close()
    return rows


def test_every_step_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = versions(db)
    assert first == sorted(v for v, _ in schema.MIGRATIONS)
    assert versions(db) == first  # reopening applies nothing twice


def test_a_step_added_below_an_applied_one_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "b.db"
    known = list(schema.MIGRATIONS)
    late = (max(v for v, _ in known) + 10, "CREATE TABLE late_step (x INTEGER);")
    early = (max(v for v, _ in known) + 5, "CREATE TABLE early_step (x INTEGER);")
    monkeypatch.setattr(schema, "MIGRATIONS", [*known, late])
    monkeypatch.setattr("agent_console.server.storage.sqlite.core.MIGRATIONS", [*known, late])
    versions(db)
    both = [*known, late, early]
    monkeypatch.setattr("agent_console.server.storage.sqlite.core.MIGRATIONS", both)
    monkeypatch.setattr("agent_console.server.storage.sqlite.core.LATEST", late[0])
    assert early[0] in versions(db)
    storage = open_storage(str(db))
    assert storage.db.execute("SELECT count(*) FROM early_step").fetchone()[0] == 0
    storage.close()


def test_a_database_from_a_newer_server_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    versions(db)
    storage = open_storage(str(db))
    storage.db.execute("INSERT INTO schema_version(version) VALUES (999)")
    storage.close()
    with pytest.raises(StorageError, match="upgrade agent-console"):
        open_storage(str(db))
