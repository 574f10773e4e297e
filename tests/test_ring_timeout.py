"""The ring time-out's sweep (server/ring_timeout.py) on both engines, with the instant
passed in: which calls it ends, that two sweepers (two workers) end each call once and
tell its agents once, and that a call written just after a sweep is still found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from agent_console.server.clock import iso
from agent_console.server.ring_timeout import RingTimeout
from agent_console.server.storage import Storage, open_storage
from tests.pgcluster import PgCluster

T0 = datetime(2030, 1, 2, 8, 0, tzinfo=timezone.utc)


class Bus:
    """The event bus's two calls the call flow makes, recorded."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []

    def publish(self, kind: str, data: dict[str, Any], tags: Any = None) -> None:
        self.published.append((kind, data))

    def changed(self, agents: Iterable[str] = (), keys: Iterable[str] = ()) -> None:
        pass


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "ring.db")
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"ring_{tmp_path.name[-20:].replace('-', '_')}")


@pytest.fixture
def two(url: str) -> Iterator[tuple[Storage, Storage]]:
    a, b = open_storage(url), open_storage(url)  # two workers' own connections
    with a.write() as db:
        db.execute(
            "INSERT INTO agents(id, name, role, agent_no, password_hash) "
            "VALUES ('7001', 'A', 'agent', '7001', 'x')"
        )
    yield a, b
    a.close()  # type: ignore[attr-defined]
    b.close()  # type: ignore[attr-defined]


def call(storage: Storage, ref: str, seconds: float, direction: str = "in") -> int:
    data = {"number": "13900000001", "call_ref": ref, "direction": direction,
            "started_at": iso(T0 + timedelta(seconds=seconds))}  # fmt: skip
    row, _ = storage.open_call(data, ["7001"])
    return int(row["id"])


def test_two_sweepers_end_each_overdue_call_once(two: tuple[Storage, Storage]) -> None:
    a, b = two
    old, young, talking, out = (call(a, r, s) for r, s in (("old", 0), ("young", 50),
                                                             ("talk", 0), ("out", 0)))  # fmt: skip
    a.answer_call(talking, "7001", iso(T0 + timedelta(seconds=5)))
    a.end_call(out, "", iso(T0))  # ends it; reopen an outbound one still ringing
    out = call(a, "out2", 10, "out")
    bus_a, bus_b = Bus(), Bus()
    one, other = RingTimeout(a, bus_a, 60), RingTimeout(b, bus_b, 60)  # type: ignore[arg-type]
    at = T0 + timedelta(seconds=75)
    assert sorted(one.sweep(at) + other.sweep(at)) == sorted([old, out])
    assert other.sweep(at) == [] and one.sweep(at) == []
    ended = [d for k, d in bus_a.published + bus_b.published if k == "call_ended"]
    assert sorted(d["call_id"] for d in ended) == sorted([old, out])  # told once each
    assert {d["cause"] for d in ended} == {"noAnswer"}
    states = {i: a.get_call(i)["state"] for i in (old, young, talking, out)}  # type: ignore[index]
    assert states == {old: "missed", young: "ringing", talking: "answered", out: "ended"}
    assert a.get_call(old)["ended_at"] == iso(at)  # type: ignore[index]


def test_a_call_written_just_after_a_sweep_is_still_found(two: tuple[Storage, Storage]) -> None:
    a, _ = two
    sweeper = RingTimeout(a, Bus(), 60)  # type: ignore[arg-type]
    assert sweeper.sweep(T0 + timedelta(seconds=100)) == []
    late = call(a, "late", 30)  # stamped 10:00:30, written after the sweep that reached 40
    assert sweeper.sweep(T0 + timedelta(seconds=101)) == [late]
