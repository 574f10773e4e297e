"""The `board` event's feed without a server: changes coming fast are coalesced into a
few events that together carry every change, the first one at once; and a wall
screen's stream hears only what is addressed to the wall role (not notices to all)."""

from __future__ import annotations

import asyncio
import threading
import time
from itertools import pairwise
from typing import Any

from agent_console.server.board_feed import BoardFeed
from agent_console.server.event_bus import EVERYONE, EventBus, for_role, tags_of


class Recording(BoardFeed):
    """The feed with its publishing recorded (the document needs no database here)."""

    def __init__(self) -> None:
        super().__init__(None, EventBus(), 20, interval=0.25)  # type: ignore[arg-type]
        self.sent: list[tuple[float, set[str], set[str]]] = []
        self.lock = threading.Lock()

    def publish(self, agents: set[str], keys: set[str]) -> None:
        with self.lock:
            self.sent.append((time.monotonic(), set(agents), set(keys)))

    def _check_overdue(self) -> None:  # no database: nothing comes due
        pass


def test_fast_changes_are_coalesced_to_four_events_a_second() -> None:
    feed = Recording().start()
    try:
        began = time.monotonic()
        feed.touch(["a0"], ["queue"])
        while not feed.sent:  # the first change after a quiet spell goes out at once
            assert time.monotonic() - began < 5
            time.sleep(0.005)
        for i in range(1, 100):  # 100 changes in about a second
            feed.touch([f"a{i}"], ["queue"] if i % 2 else ["hands"])
            time.sleep(0.01)
        deadline = time.monotonic() + 5
        while True:
            with feed.lock:
                agents = set().union(*(a for _, a, _ in feed.sent))
            if agents == {f"a{i}" for i in range(100)} or time.monotonic() > deadline:
                break
            time.sleep(0.02)
    finally:
        feed.stop()
    assert agents == {f"a{i}" for i in range(100)}  # every change carried
    assert set().union(*(k for _, _, k in feed.sent)) == {"queue", "hands"}
    times = [at for at, _, _ in feed.sent]
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.2, gaps  # at most about 4 a second (0.25 s apart, less jitter)
    assert len(times) < 100 / 4, len(times)


def test_a_wall_stream_hears_only_its_role() -> None:
    wall = tags_of({"id": "9900", "role": "wall"})
    assert wall == frozenset({for_role("wall")})
    supervisor = tags_of({"id": "9001", "role": "supervisor"})

    async def run() -> tuple[Any, Any]:
        bus = EventBus()
        w, s = bus.subscribe(wall), bus.subscribe(supervisor)
        bus.publish("notice", {"text": "for everyone"}, EVERYONE)
        bus.publish("incoming_call", {"number": "139"}, "agent:9900")
        bus.publish("board", {"at": "now"}, (for_role("supervisor"), for_role("wall")))
        await asyncio.sleep(0)
        return [e.type for e in await _drain(w)], [e.type for e in await _drain(s)]

    assert asyncio.run(run()) == (["board"], ["notice", "board"])


async def _drain(sub: Any) -> list[Any]:
    out = []
    while (event := await sub.next(0.05)) is not None:
        out.append(event)
    return out


class Tickets:
    """Storage's overdue callbacks, as the test sets them."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def board_overdue(self, now: str, agent_ids: Any = None) -> list[dict[str, str]]:
        return list(self.rows)


def test_a_callback_coming_due_by_the_clock_alone_is_a_change() -> None:
    tickets = Tickets()
    feed = BoardFeed(tickets, EventBus(), 20)  # type: ignore[arg-type]  # not started
    feed._check_overdue()  # the first look: the baseline
    assert not feed._wake.is_set()
    feed._check_overdue()  # nothing new
    assert not feed._wake.is_set()
    tickets.rows.append(
        {"created_by": "1001", "station_id": "HS-XC", "callback_due": "2031-03-12T01:10:00Z"}
    )
    feed._check_overdue()
    assert feed._wake.is_set()
    assert (feed._agents, feed._keys) == ({"*"}, {"overdue_callbacks"})
