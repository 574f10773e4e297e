"""`agent-console seed`: deterministic synthetic data at any size, searchable at once."""

from __future__ import annotations

from pathlib import Path

from agent_console.cli import main
from agent_console.server.storage import open_storage


def snapshot(db: Path) -> list[tuple]:
    storage = open_storage(str(db))
    rows = storage.db.execute(
        "SELECT name, phone, account_no, address FROM callers ORDER BY id"
    ).fetchall()
    storage.close()
    return [tuple(r) for r in rows]


def test_same_seed_same_data_and_counts(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    for db in (a, b):
        assert (
            main(
                [
                    "seed",
                    "--db",
                    str(db),
                    "--callers",
                    "500",
                    "--directory",
                    "200",
                    "--articles",
                    "50",
                ]
            )
            == 0
        )
    main(["seed", "--db", str(c), "--callers", "500", "--seed", "7"])
    assert snapshot(a) == snapshot(b)
    assert snapshot(a) != snapshot(c)
    storage = open_storage(str(a))
    counts = storage.counts()
    demo_callers = len(storage.all("SELECT id FROM callers WHERE account_no LIKE '47%'"))
    assert counts["kb_articles"] >= 50 and counts["directory"] >= 200
    assert demo_callers >= 500
    phone = storage.db.execute("SELECT phone FROM callers ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert any(h["match"] == "phone" for h in storage.search_callers(phone, 5).items)
    storage.close()


def test_synthetic_phone_and_account_numbers_are_unique(tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    main(["seed", "--db", str(db), "--callers", "3000"])
    storage = open_storage(str(db))
    dupes = storage.db.execute(
        "SELECT count(*) FROM (SELECT phone FROM callers GROUP BY phone HAVING count(*) > 1)"
    ).fetchone()[0]
    account_dupes = storage.db.execute(
        "SELECT count(*) FROM (SELECT account_no FROM callers WHERE account_no <> '' "
        "GROUP BY account_no HAVING count(*) > 1)"
    ).fetchone()[0]
    storage.close()
    assert dupes == 0 and account_dupes == 0
