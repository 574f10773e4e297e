"""The demo's past week of work: written once, on the days before today only, and the
quality figures over it are not empty."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

from agent_console.server.quality.demo import add_demo_history, history
from agent_console.server.quality.report import quality_items
from agent_console.server.storage import open_storage

NOW = datetime(2026, 12, 6, 19, 0, tzinfo=timezone.utc)


def test_the_history_is_the_same_each_time_and_ends_before_today() -> None:
    first, again = history(NOW, [1, 2, 3]), history(NOW, [1, 2, 3])
    assert first == again and first["tickets"] and first["calls"]
    moments = [c["ended_at"] for c in first["calls"]] + [s["at"] for s in first["state_log"]]
    assert max(moments) < "2026-12-06T00:00:00Z" and min(moments) >= "2026-11-29T00:00:00Z"


def test_written_once_and_the_figures_show_it(demo_db_template: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_db_template, db)
    storage = open_storage(str(db))
    try:
        written = add_demo_history(storage, NOW)
        assert written > 0 and add_demo_history(storage, NOW) == 0
        rows = quality_items(
            storage, date(2026, 11, 29), date(2026, 12, 5), "week", "agent", timezone.utc
        )
        assert {r["agent_no"] for r in rows} == {"1001", "1002", "1003"}
        assert sum(r["satisfaction_n"] for r in rows) == written  # every ticket closed
        assert all(r["aht_s"] and r["acw_s"] and r["fcr"] is not None for r in rows)
        assert all(r["callbacks_due"] and r["satisfaction"] for r in rows)
    finally:
        storage.close()
