"""The in-process event bus (SQLite's): replay on reconnect, without a terminal or server."""

from __future__ import annotations

import asyncio
import threading

from agent_console.server.event_bus import EventBus, for_agent


async def reconnect_after_missing(count: int) -> list[int]:
    bus = EventBus(replay=512, queue_size=4)
    tags = frozenset({for_agent("1001")})
    first = bus.subscribe(tags)
    seen = bus.event_id(first.cursor)
    first.close()
    for n in range(count):  # published while the console was away
        bus.publish("ticket_updated", {"n": n}, for_agent("1001"))
    again = bus.subscribe(tags, seen)
    got = []
    while (event := await again.next(0.05)) is not None:
        got.append(event.data["n"])
    return got


def test_a_reconnect_that_missed_more_than_a_queue_gets_all_of_it_in_order() -> None:
    result: list[list[int]] = []
    # In a thread of its own: before the fix subscribe() never returned (offer()
    # overflowed and unsubscribed under the lock subscribe() held).
    worker = threading.Thread(
        target=lambda: result.append(asyncio.run(reconnect_after_missing(10))), daemon=True
    )
    worker.start()
    worker.join(10)
    assert result == [list(range(10))]
