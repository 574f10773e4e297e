"""The seat's core without a terminal: the call from ring to wrap-up, the state the
agent chose for after it, the pop policy and the state reporter, on a hand-driven clock."""

from __future__ import annotations

import asyncio

import pytest

from agent_console.client import BackendError, BackendUnavailable
from agent_console.models import Caller
from agent_console.seat import ANNOUNCE, POP, Change, PopPolicy, Ring, SeatCore
from agent_console.seat.reporter import StateReporter
from agent_console.seat.state import seconds_ago

ANNA = Caller(id=7, name="Anna", phone="180****6690")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def seat(clock: Clock) -> tuple[SeatCore, list[Change]]:
    core = SeatCore(clock=clock, me=lambda: "1001")
    told: list[Change] = []
    core.on_report = told.append
    return core, told


def ring(call_id: int = 41, call_ref: str = "") -> Ring:
    return Ring.from_event(
        {
            "call_id": call_id,
            "number": "18004716690",
            "number_masked": "180****6690",
            "caller_id": 7,
            "call_ref": call_ref,
        }
    )


def test_a_call_from_ring_to_wrap_up_and_back_to_ready() -> None:
    clock = Clock()
    core, told = seat(clock)
    assert core.ring(ring()) == "ringing"
    assert core.phase == "ringing" and core.state.state == "ready"  # nothing told yet
    assert core.call_key == "call:41"
    clock.now += 4
    assert core.take()
    assert core.phase == "on_call" and core.call.elapsed() == 0
    clock.now += 65
    assert core.call.elapsed() == 65
    assert core.hang_up()
    assert core.phase == "acw" and core.state.call_seconds == 65
    clock.now += 10
    assert core.wrap_up("ticket") is None
    assert core.phase is None and core.call_key == "" and core.call.number == ""
    assert told == [
        Change("on_call", "", 41),
        Change("acw", "", 41),
        Change("ready", "", 41, "ticket"),
    ]


def test_not_ready_chosen_during_the_call_survives_the_wrap_up() -> None:
    clock = Clock()
    core, told = seat(clock)
    core.ring(ring())
    core.take()
    assert core.choose("not_ready", "break") == "after_call"
    assert core.state.state == "on_call"  # the call goes on
    core.hang_up()
    core.wrap_up("answered")
    assert (core.state.state, core.state.reason) == ("not_ready", "break")
    assert told[-1] == Change("not_ready", "break", 41, "answered")
    # The next call, no choice made: back to ready after it.
    core.choose("ready")
    core.ring(ring(42))
    core.take()
    core.hang_up()
    core.wrap_up("answered")
    assert core.state.state == "ready"


def test_outside_a_call_the_state_changes_at_once() -> None:
    core, told = seat(Clock())
    assert core.choose("not_ready", "meal") == "now"
    assert told == [Change("not_ready", "meal", None)]
    with pytest.raises(ValueError):
        core.choose("on_call")


def test_a_card_opened_by_hand_is_not_a_call() -> None:
    core, told = seat(Clock())
    core.open_by_hand(ANNA)
    assert core.phase is None and core.call.started is None and core.call.elapsed() is None
    assert core.state.state == "ready" and told == []
    assert core.call_key == "caller:7"
    assert not core.hang_up()  # nothing to wrap up


def test_a_call_ringing_during_another_waits_for_the_wrap_up() -> None:
    core, _ = seat(Clock())
    core.ring(ring(41))
    core.take()
    assert core.ring(ring(42)) == "held"
    assert core.ring(ring(42)) == "repeat"
    assert core.ring(ring(41)) == "repeat"
    core.hang_up()
    waiting = core.wrap_up("answered")
    assert waiting is not None and waiting.call_id == 42
    assert core.ring(waiting) == "ringing"


def test_the_phone_system_answers_and_hangs_up() -> None:
    clock = Clock()
    core, told = seat(clock)
    core.ring(ring(call_ref="pbx-1"))
    assert ring(call_ref="pbx-1").phone_system and not ring().phone_system
    clock.now += 8
    assert core.answered(41, "1001", ago=3) == "mine"
    assert core.call.elapsed() == 3  # the timer from the answer, not from the event
    assert core.ended(41) == "acw"
    assert core.phase == "acw" and told[-1] == Change("acw", "", 41)


def test_answered_elsewhere_or_missed_leaves_the_seat_as_it_was() -> None:
    core, told = seat(Clock())
    core.ring(ring(41))
    assert core.answered(41, "1002") == "elsewhere"
    assert core.phase is None and told == []
    core.ring(ring(43))
    core.choose("not_ready", "break")  # chosen while it rang
    assert core.ended(43) == "missed"
    assert (core.state.state, core.state.reason) == ("not_ready", "break")
    assert core.ended(99) == "unknown" and core.answered(None, "1001") == "unknown"


def test_ring_events_are_read_defensively() -> None:
    r = Ring.from_event({"call_id": True, "number": 5, "direction": "sideways"})
    assert (r.call_id, r.number, r.direction, r.call_ref) == (None, "", "in", "")
    assert Ring.from_event({"direction": "out"}).direction == "out"


def test_an_outbound_call_back() -> None:
    core, told = seat(Clock())
    assert core.outbound(ANNA, 77)
    assert core.phase == "on_call" and core.call.direction == "out"
    assert core.call.caller == ANNA and core.call_key == "call:77"
    assert told == [Change("on_call", "", 77)]
    assert not core.outbound(ANNA, 78)  # one call at a time
    core.hang_up()
    core.wrap_up("callback")
    assert core.outbound(ANNA, None)
    assert core.call_key.startswith("call:local-")


def test_seconds_ago_is_bounded() -> None:
    from datetime import datetime, timezone

    now = datetime(2026, 1, 1, 12, 0, 10, tzinfo=timezone.utc)
    assert seconds_ago("2026-01-01T12:00:07Z", now) == 3
    assert seconds_ago("2026-01-01T13:00:00+00:00", now) == 0
    assert seconds_ago("2025-01-01T00:00:00+00:00", now) == 60
    assert seconds_ago("nonsense", now) == 0


def test_pop_policy_announces_while_typing() -> None:
    clock = Clock()
    policy = PopPolicy(clock)
    assert policy.decide() == POP  # no key yet
    policy.key()
    clock.now += 1.4
    assert policy.decide() == ANNOUNCE
    clock.now += 0.2
    assert policy.decide() == POP
    assert policy.decide(field_has_text=True) == ANNOUNCE


def test_the_reporter_keeps_changes_in_order_while_the_backend_is_away() -> None:
    sent: list[Change] = []
    down = True
    kept: list[bool] = []

    async def send(change: Change) -> None:
        if down:
            raise BackendUnavailable("down")
        if change.wrap_up == "refused":
            raise BackendError(409, "gone", "gone")
        sent.append(change)

    reporter = StateReporter(send, kept=lambda report: kept.append(True))
    a, b, c = Change("acw", "", 1), Change("ready", "", 1, "refused"), Change("not_ready", "x")

    async def run() -> None:
        nonlocal down
        await reporter.send(a)
        await reporter.send(b)
        await reporter.send(c)
        assert sent == [] and reporter.unsent == [a, b, c] and kept == [True]
        await reporter.resend()  # still down: all kept
        assert reporter.unsent == [a, b, c]
        down = False
        await reporter.resend()

    asyncio.run(run())
    assert sent == [a, c] and reporter.unsent == []


def test_the_reporter_sends_one_report_at_a_time_in_the_order_made() -> None:
    """Reports made back to back (the hang-up, then the wrap-up code) go one after the
    other: a slow first request holds the second, which never overtakes it."""
    sent: list[str] = []
    first_done = asyncio.Event()

    async def send(change: Change) -> None:
        if change.state == "acw":
            await first_done.wait()  # the backend is slow on the first
        sent.append(change.state)

    reporter = StateReporter(send)

    async def run() -> None:
        first = asyncio.ensure_future(reporter.send(Change("acw", "", 1)))
        second = asyncio.ensure_future(reporter.send(Change("ready", "", 1, "answered")))
        await asyncio.sleep(0.01)
        assert sent == []  # the second waits behind the first
        first_done.set()
        await asyncio.gather(first, second)

    asyncio.run(run())
    assert sent == ["acw", "ready"]
