"""GET /quality on both engines, from the known facts of tests/api/quality_data.py; every
figure below is worked out by hand from that file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.quality_data import start_known
from tests.conftest import API, DemoDatabase, login


@pytest.fixture(scope="module")
def known(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedBackend, dict[str, int]]]:
    backend, ids = start_known(demo_db, tmp_path_factory.mktemp("quality"))
    yield backend, ids
    backend.stop()


def client(backend: EmbeddedBackend, agent_id: str = "9001") -> httpx.Client:
    token = login(backend.url, agent_id)
    return httpx.Client(
        base_url=backend.url + API, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def quality(c: httpx.Client, **params: str) -> list[dict[str, Any]]:
    r = c.get("/quality", params={"from": "2026-03-02", "to": "2026-03-03", **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


FIGURES = (
    "calls", "satisfaction", "satisfaction_n", "callbacks_due", "callbacks_on_time",
    "callbacks_on_time_share", "repeat_7d", "fcr", "aht_s", "acw_s",
)  # fmt: skip


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in FIGURES)


def test_figures_per_agent_by_day(known: tuple[EmbeddedBackend, dict[str, int]]) -> None:
    with client(known[0]) as c:
        rows = quality(c, by="day", group="agent")
    got = {(r["period"], r["agent_id"]): r for r in rows}
    assert sorted(got) == [("2026-03-02", "1001"), ("2026-03-03", "1001"), ("2026-03-03", "1002")]
    # 1001 on the 2nd: calls of 180 s and 60 s (aht 120); after-call work 50 s and 30 s
    # (40); T1 closed with 5; callbacks due: T1 (done 13:00 < 14:00) and T2 (due 12:00,
    # reached 12:30: late); T1 and T2 created, T1 repeated by T3 26 h later: fcr 1/2.
    first = got[("2026-03-02", "1001")]
    assert (first["agent_no"], first["team"]) == ("1001", "A")
    assert figures(first) == (2, 5.0, 1, 2, 1, 0.5, 1, 0.5, 120.0, 40.0)
    # 1001 on the 3rd: T2 closed with 3; T3 created, not repeated: fcr 1.
    assert figures(got[("2026-03-03", "1001")]) == (0, 3.0, 1, 0, 0, None, 0, 1.0, None, None)
    # 1002 on the 3rd: a call of 120 s; T4 closed with 4, called back 14:00 before 15:00.
    assert figures(got[("2026-03-03", "1002")]) == (1, 4.0, 1, 1, 1, 1.0, 0, 1.0, 120.0, None)


def test_figures_per_team_by_week(known: tuple[EmbeddedBackend, dict[str, int]]) -> None:
    with client(known[0]) as c:
        rows = quality(c, by="week", group="team")
    assert [(r["period"], r["team"], r["agent_id"]) for r in rows] == [
        ("2026-03-02", "A", None),
        ("2026-03-02", "B", None),
    ]
    # Team A (1001) over the week: 2 calls (120), ACW 40, satisfaction (5 + 3) / 2,
    # callbacks 1 of 2, tickets T1 T2 T3 with one repeat: fcr 2/3.
    assert figures(rows[0]) == (2, 4.0, 2, 2, 1, 0.5, 1, 0.6667, 120.0, 40.0)
    assert figures(rows[1]) == (1, 4.0, 1, 1, 1, 1.0, 0, 1.0, 120.0, None)


def test_only_supervisors_and_bad_dates_are_refused(
    known: tuple[EmbeddedBackend, dict[str, int]],
) -> None:
    with client(known[0], "1001") as c:
        r = c.get("/quality", params={"from": "2026-03-02", "to": "2026-03-03"})
        assert r.status_code == 403
    with client(known[0]) as c:
        for params in (
            {"from": "2026-3-2", "to": "2026-03-03"},
            {"from": "2026-03-02", "to": "2026-02-30"},
            {"from": "2026-03-03", "to": "2026-03-02"},
            {"from": "2020-01-01", "to": "2026-03-02"},
            {"from": "2026-03-02", "to": "2026-03-03", "by": "month"},
            {"from": "2026-03-02", "to": "2026-03-03", "group": "hotline"},
            {"to": "2026-03-03"},
        ):
            r = c.get("/quality", params=params)
            assert r.status_code == 422, (params, r.text)
        assert quality(c, by="day") != []
        r = c.get("/quality", params={"from": "2025-03-02", "to": "2025-03-03"})
        assert r.json() == {"items": []}
