"""Schema step 10 (issue 13) on a database that already has calls: they were placed
before calls had a life, so they come through as over (ended, answered by the agent
they rang at), never as ringing calls or missed ones; agents get an empty extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.server.storage import open_storage
from agent_console.server.storage.sqlite import schema


def test_calls_from_before_step_10_are_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "old.db")
    before = [(v, sql) for v, sql in schema.MIGRATIONS if v < 10]
    monkeypatch.setattr("agent_console.server.storage.sqlite.core.MIGRATIONS", before)
    monkeypatch.setattr("agent_console.server.storage.sqlite.core.LATEST", max(before)[0])
    old = open_storage(db)
    with old.write() as conn:
        conn.execute(
            "INSERT INTO agents(id, name, role, agent_no, password_hash) "
            "VALUES ('1001', 'A', 'agent', '1001', 'x')"
        )
    old.record_call("1001", "13900001111", None, "simulated")
    old.close()
    monkeypatch.undo()

    storage = open_storage(db)
    call = storage.get_call(1)
    assert call is not None
    assert (call["state"], call["answered_by"], call["call_ref"]) == ("ended", "1001", "")
    assert storage.call_rings(1) == ["1001"]
    assert storage.active_call_for("1001") is None
    assert storage.missed_calls("", 10) == []
    assert storage.find_agent("1001")["extension"] == ""  # type: ignore[index]
    storage.close()
