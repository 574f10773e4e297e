"""The floor's messages and a supervisor's hand on the seat, without a terminal: events
in, the strip's messages, the sentences the agent is told and the seat's state out. The
backend's `read_message` is played by a recorder that can be "away" (BackendUnavailable,
which a real backend produces only by dying mid-test); the same desk in the App against
a real server is tests/ui/test_floor_ui.py."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from agent_console.client import BackendError, BackendUnavailable
from agent_console.models.floor import FloorMessage
from agent_console.seat.floor_messages import (
    FloorDesk,
    message_line,
    sign_out_sentence,
    state_sentence,
)
from agent_console.seat.state import Ring, SeatCore

BY = {"by_no": "9001", "by_name": "王主管"}


def message(n: int, text: str = "hi") -> dict[str, Any]:
    return {"id": n, "text": text, "from_agent_no": "9001", "from_name": "王主管", "sent_at": "t"}


class Backend:
    def __init__(self) -> None:
        self.read: list[int] = []
        self.away = False
        self.waiting: list[FloorMessage] = []

    async def unread_messages(self) -> list[FloorMessage]:
        if self.away:
            raise BackendUnavailable("down")
        return list(self.waiting)

    async def read_message(self, message_id: int) -> FloorMessage:
        if self.away:
            raise BackendUnavailable("down")
        if message_id == 404:
            raise BackendError(404, "not_found", "no message")
        self.read.append(message_id)
        self.waiting = [m for m in self.waiting if m.id != message_id]
        return FloorMessage.from_json({**message(message_id), "read_at": "now"})


class Seat:
    def __init__(self) -> None:
        self.backend = Backend()
        self.core = SeatCore()
        self.reported: list[object] = []
        self.core.on_report = self.reported.append
        self.told: list[str] = []
        self.locked: list[str] = []
        self.work: list[Coroutine[Any, Any, object]] = []
        self.desk = FloorDesk(
            self.backend,
            self.core,
            spawn=lambda work, group, exclusive=False: self.work.append(work),
            tell=lambda text, **_kw: self.told.append(text),
            lock=self.locked.append,
        )
        self.changes = 0
        self.desk.on_change.append(self.count)

    def count(self) -> None:
        self.changes += 1

    def run(self) -> None:
        while self.work:
            asyncio.run(self.work.pop(0))  # type: ignore[arg-type]


def texts(desk: FloorDesk) -> list[str]:
    return [m.text for m in desk.unread]


def test_messages_stay_in_order_until_read_and_each_once() -> None:
    seat = Seat()
    seat.desk.arrived(message(2, "second"))
    seat.desk.arrived(message(1, "first"))
    seat.desk.arrived(message(2, "second"))  # replayed after a reconnect
    seat.desk.arrived({"id": "x", "text": 5})  # junk is not a message
    assert texts(seat.desk) == ["first", "second"]
    assert seat.changes == 2
    seat.backend.waiting = [FloorMessage.from_json(message(1, "first"))]
    seat.desk.load()
    seat.run()
    assert texts(seat.desk) == ["first", "second"]  # loading adds no second copy
    assert seat.desk.mark_read()
    assert texts(seat.desk) == ["second"]
    seat.desk.load()  # answered before the backend hears it was read: not shown again
    seat.work.reverse()
    seat.run()
    assert seat.backend.read == [1]
    assert texts(seat.desk) == ["second"]
    assert seat.desk.mark_read() and not seat.desk.mark_read()
    seat.run()
    assert seat.backend.read == [1, 2] and seat.desk.current is None


def test_a_message_marked_read_while_the_backend_is_away_comes_back() -> None:
    seat = Seat()
    seat.desk.arrived(message(3, "call back"))
    seat.backend.away = True
    seat.desk.mark_read()
    assert seat.desk.current is None
    seat.run()
    assert texts(seat.desk) == ["call back"]
    assert any("stays until it can be marked read" in t for t in seat.told)
    seat.desk.arrived(message(404, "gone"))
    seat.backend.away = False
    seat.desk.mark_read()
    seat.desk.mark_read()
    seat.run()
    assert seat.backend.read == [3] and seat.desk.current is None  # a 404 is not kept


def test_the_strip_line_and_the_sentences_name_the_supervisor() -> None:
    first = FloorMessage.from_json(message(1, "[b]x[/b]"))
    assert message_line(first, 0) == "王主管 (9001): [b]x[/b]"
    assert message_line(first, 2).endswith("(+2 more)")
    said = state_sentence({"state": "not_ready", "reason": "meeting", **BY})
    assert said == "Supervisor 王主管 (9001) set you not ready: meeting."
    assert state_sentence({"state": "ready", "by_no": "9001"}) == "Supervisor 9001 set you ready."
    out = sign_out_sentence({"reason": "shift\nchange", **BY})
    assert out.startswith("Supervisor 王主管 (9001) signed you out: shift change.")
    assert "nothing you typed is lost" in out
    assert sign_out_sentence({}).startswith("Supervisor a supervisor signed you out.")


def test_a_forced_state_is_the_seats_at_once_or_after_the_call_and_not_sent_back() -> None:
    seat = Seat()
    seat.desk.state_forced({"state": "not_ready", "reason": "meeting", **BY})
    assert (seat.core.state.state, seat.core.state.reason) == ("not_ready", "meeting")
    assert seat.reported == []  # the backend has it already
    assert seat.told == ["Supervisor 王主管 (9001) set you not ready: meeting."]
    seat.core.ring(Ring(call_id=7, number="13800000000"))
    seat.core.take()
    seat.desk.state_forced({"state": "ready", **BY})
    assert seat.core.state.state == "on_call"
    assert seat.core.after_call == ("ready", "")
    seat.desk.state_forced({"state": "on_call", **BY})  # not the supervisor's to set
    assert seat.core.after_call == ("ready", "")


def test_a_forced_sign_out_locks_the_seat_with_the_reason() -> None:
    seat = Seat()
    seat.desk.signed_out({"reason": "end of shift", **BY})
    assert seat.locked == [
        "Supervisor 王主管 (9001) signed you out: end of shift. "
        "Sign in again to go on; nothing you typed is lost."
    ]
    seat.core.state.change("not_ready", "meal")
    seat.desk.load()  # signed in again: the backend (offline now) hears the state again
    assert [(c.state, c.reason) for c in seat.reported] == [("not_ready", "meal")]  # type: ignore[attr-defined]
    seat.desk.load()
    assert len(seat.reported) == 1  # once
    seat.run()
    tickets: list[int] = []
    seat.desk.on_ticket.append(tickets.append)
    seat.desk.reassigned({"ticket_id": 12, **BY})
    seat.desk.reassigned({"ticket_id": True, **BY})
    assert tickets == [12]
    assert "Supervisor 王主管 (9001) gave you ticket #12." in seat.told


def test_a_seat_signed_out_from_the_floor_shows_signed_out_with_no_timer() -> None:
    now = [100.0]
    seat = Seat()
    seat.core = SeatCore(clock=lambda: now[0])
    seat.desk.core = seat.core
    seat.core.on_report = seat.reported.append
    assert seat.core.label(now[0]) == "Ready 00:00"
    now[0] = 160.0
    seat.desk.signed_out({"reason": "end of shift", **BY})
    assert seat.core.shown()[0] == "signed_out"
    now[0] = 400.0  # under the lock, time passes: nothing runs
    assert seat.core.label(now[0]) == "Signed out"
    seat.desk.load()  # signed in again: the state goes on, its timer from now
    assert seat.core.shown() == ("ready", 400.0)
    now[0] = 405.0
    assert seat.core.label(now[0]) == "Ready 00:05"
    assert [(c.state, c.reason) for c in seat.reported] == [("ready", "")]  # type: ignore[attr-defined]
    seat.run()
