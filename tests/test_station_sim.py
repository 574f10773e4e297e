"""The simulated field station's pace and words, on a real SQLite copy of the demo data
with a hand-moved clock: no move before its time, one step at a time, each station's
own staff, the agent's language, and a stop that leaves no thread behind."""

from __future__ import annotations

import random
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console.server.event_bus import EventBus
from agent_console.server.station_sim import StationSimulator, load_notes, pick_note
from agent_console.server.storage import Storage, open_storage

EVERY = 30.0  # each step 20-40 s


@pytest.fixture
def storage(demo_db_template: Path, tmp_path: Path) -> Iterator[Storage]:
    db = tmp_path / "demo.db"
    shutil.copy(demo_db_template, db)
    store = open_storage(str(db))
    yield store
    store.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ticket(storage: Storage, agent: str = "1001", **data: object) -> int:
    body = {"category": "heat.no_heat.partial", "summary": "半热", **data}
    row, _ = storage.create_ticket(body, agent, str(uuid.uuid4()), uuid.uuid4().hex)
    return int(row["id"])


def status(storage: Storage, ticket_id: int) -> str:
    row = storage.get_ticket(ticket_id, "production")
    assert row is not None
    return str(row["status"])


def test_one_step_at_a_time_and_never_before_its_time(storage: Storage) -> None:
    clock = Clock()
    sim = StationSimulator(storage, EventBus(), EVERY, seed=5, clock=clock)
    heat = ticket(storage, station_id="HS-SH")
    english = ticket(storage, agent="1003", category="tel.fault.broadband", station_id="TS-XC")
    waiting = ticket(storage)  # no station: not the station's business
    assert sim.tick() == 0  # just seen: the clock starts now
    clock.now += EVERY * 0.66  # sooner than the shortest step
    assert sim.tick() == 0
    assert status(storage, heat) == "dispatched"
    clock.now += EVERY * 0.7  # past the longest step: both taken in hand, no further
    assert sim.tick() == 2
    assert (status(storage, heat), status(storage, english)) == ("in_progress", "in_progress")
    clock.now += EVERY * 0.66
    assert sim.tick() == 0
    clock.now += EVERY * 0.7
    assert sim.tick() == 2
    assert (status(storage, heat), status(storage, english)) == ("resolved", "resolved")
    clock.now += EVERY * 5
    assert sim.tick() == 0  # resolved: the agent's move now (the callback)
    assert status(storage, waiting) == "new"
    heat_row = storage.get_ticket(heat, "production")
    english_row = storage.get_ticket(english, "production")
    assert heat_row and english_row
    assert [e["agent_id"] for e in heat_row["history"]][-2:] == ["5004", "5004"]  # HS-SH
    assert [e["agent_id"] for e in english_row["history"]][-2:] == ["5011", "5011"]  # TS-XC
    english_notes = {n.en for n in load_notes() if n.category.startswith("tel")}
    assert english_row["history"][-1]["change"]["note"] in english_notes  # 1003: English desk
    assert sim.due == {}  # nothing left to remember


def test_notes_come_from_the_closest_category() -> None:
    notes, rng = load_notes(), random.Random(1)
    leak = {pick_note(notes, "heat.leak.in_flat", "resolved", rng).zh for _ in range(20)}
    assert leak == {n.zh for n in notes if n.category == "heat.leak" and n.status == "resolved"}
    assert pick_note(notes, "heat.no_heat.building", "resolved", rng).category == (
        "heat.no_heat.building"
    )
    assert pick_note(notes, "dir.missing", "in_progress", rng).category == ""
    assert pick_note(notes, "heater", "resolved", rng).category == ""  # "heat" is no prefix
    # Worked a second time (the callback found it not fixed): not the same words again.
    first = pick_note(notes, "heat.no_heat.partial", "resolved", rng)
    for _ in range(10):
        again = pick_note(notes, "heat.no_heat.partial", "resolved", rng, f"x {first.zh} y")
        assert again != first


def test_stop_ends_the_thread(storage: Storage) -> None:
    sim = StationSimulator(storage, EventBus(), 0.5).start()
    assert sim._thread.is_alive()
    sim.stop()
    assert not sim._thread.is_alive()
