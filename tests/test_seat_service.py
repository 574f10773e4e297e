"""The seat's service without a terminal or an App, on a hand-driven clock: the call
events and the agent's F8/F10 picks in, what the screens must do (ring, ask for a
wrap-up code, close the call's things) and what the agent is told out, and each state
change sent to the backend in the background. The backend's `set_state` is played by
a recorder that can be "away" (BackendUnavailable, which a real backend produces only
by dying mid-test); the same service through the App against a real server is
tests/ui/test_call_spine.py and tests/ui/test_loop_ui.py."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from agent_console.agent_state import SeatState
from agent_console.client import BackendUnavailable
from agent_console.config import EventsSettings
from agent_console.models.agent import Agent
from agent_console.seat import CallContext, CallResult, Change, HangUp, Ring
from agent_console.seat.event_stream import EventStream
from agent_console.seat.seat_service import SeatService
from agent_console.session import SessionState
from agent_console.sse import ServerEvent

ANNA = Agent(id="1001", name="Anna", role="agent", agent_no="1001")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Backend:
    def __init__(self) -> None:
        self.states: list[tuple[str, str, int | None, str]] = []
        self.ended: list[int] = []
        self.log: list[str] = []  # every report that reached it, in order
        self.away = False
        self.current: dict[str, Any] | None = None  # the call GET /calls/current has

    async def current_call(self) -> dict[str, Any] | None:
        if self.away:
            raise BackendUnavailable("connection refused")
        return self.current

    async def set_state(
        self, state: str, reason: str = "", *, call_id: int | None = None, wrap_up: str = ""
    ) -> object:
        if self.away:
            raise BackendUnavailable("connection refused")
        self.states.append((state, reason, call_id, wrap_up))
        self.log.append(f"state {state}")
        return None

    async def hang_up_call(self, call_id: int) -> None:
        if self.away:
            raise BackendUnavailable("connection refused")
        self.ended.append(call_id)
        self.log.append(f"hang up {call_id}")

    async def call_result(self, call_id: int, reached: bool) -> None:
        if self.away:
            raise BackendUnavailable("connection refused")
        self.log.append(f"result {call_id} {reached}")


class Screens:
    """What the service asks of the screens and the App, recorded."""

    def __init__(self) -> None:
        self.work: list[tuple[str, Coroutine[Any, Any, object]]] = []
        self.told: list[str] = []
        self.rang: list[Ring] = []
        self.hung_up: list[int] = []
        self.asked: list[str] = []
        self.closed: list[str] = []
        self.locked = False
        self.held: list[Callable[[], None]] = []

    def spawn(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        self.work.append((group, work))

    def tell(self, message: str, **_how: object) -> None:
        self.told.append(message)

    def hold(self, later: Callable[[], None]) -> bool:
        if self.locked:
            self.held.append(later)
        return self.locked

    def drop(self) -> None:
        """Work the test does not run: closed, not left to warn "never awaited"."""
        for _group, work in self.work:
            work.close()
        self.work.clear()

    async def run_work(self) -> None:
        while self.work:
            await self.work.pop(0)[1]


def seat(clock: Clock) -> tuple[SeatService, Backend, Screens, EventStream]:
    session = SessionState(
        agent=ANNA,
        call=CallContext(clock=clock),
        seat=SeatState(since=clock(), clock=clock),
    )
    backend, screens = Backend(), Screens()
    service = SeatService(
        session, backend, spawn=screens.spawn, tell=screens.tell, publish=lambda: None
    )
    service.ringing = screens.rang.append
    service.hung_up = screens.hung_up.append
    service.ask_wrap_up = screens.asked.append
    service.closed = screens.closed.append
    service.hold = screens.hold
    stream = EventStream(
        _NoClient(), EventsSettings(), session, spawn=screens.spawn, publish=lambda: None
    )
    service.follow(stream)
    return service, backend, screens, stream


class _NoClient:
    def events(self, last_event_id: str = "", read_timeout: float = 45.0) -> Any:
        raise AssertionError("the stream is not opened in these tests")


def event(kind: str, **data: Any) -> ServerEvent:
    return ServerEvent(type=kind, data=data)


def incoming(call_id: int) -> ServerEvent:
    return event("incoming_call", call_id=call_id, number="18004716690", caller_id=7)


async def test_a_call_through_the_event_stream_and_the_keys_back_to_ready() -> None:
    clock = Clock()
    service, backend, screens, stream = seat(clock)

    stream.dispatch(incoming(41))
    assert [r.call_id for r in screens.rang] == [41] and service.core.ringing
    stream.dispatch(event("call_answered", call_id=41, agent_id="1001"))
    clock.now += 30
    assert service.hang_up()  # F10
    assert screens.hung_up == [41] and service.core.phase == "acw"
    service.finish("ticket")  # the wrap-up code
    assert screens.closed == ["call:41"] and service.core.phase is None
    await screens.run_work()

    assert backend.states == [
        ("on_call", "", 41, ""),
        ("acw", "", 41, ""),
        ("ready", "", 41, "ticket"),
    ]


async def test_not_ready_chosen_during_a_call_is_the_state_after_its_wrap_up() -> None:
    clock = Clock()
    service, backend, screens, stream = seat(clock)
    stream.dispatch(incoming(41))
    stream.dispatch(event("call_answered", call_id=41, agent_id="1001"))
    service.choose("not_ready:break")  # F8 during the call
    assert screens.asked == []  # no code owed yet: the call goes on
    stream.dispatch(event("call_ended", call_id=41))  # the caller hangs up
    service.choose(None)  # F8 again, Esc: the code is still owed, asked for now
    assert screens.asked == [""]
    service.finish("info")
    await screens.run_work()
    assert backend.states[-1] == ("not_ready", "break", 41, "info")


def test_a_call_while_another_owes_its_code_asks_for_the_code_then_rings() -> None:
    clock = Clock()
    service, _backend, screens, stream = seat(clock)
    stream.dispatch(incoming(41))
    stream.dispatch(event("call_answered", call_id=41, agent_id="1001"))
    stream.dispatch(event("call_ended", call_id=41))
    stream.dispatch(incoming(42))
    assert screens.asked == ["A call is waiting: choose the wrap-up code of the last call."]
    assert [r.call_id for r in screens.rang] == [41]
    service.finish("ticket")
    assert [r.call_id for r in screens.rang] == [41, 42] and service.core.ringing
    screens.drop()


def test_what_the_agent_is_told_about_calls_not_theirs() -> None:
    clock = Clock()
    service, _backend, screens, stream = seat(clock)
    stream.dispatch(incoming(41))
    stream.dispatch(event("call_answered", call_id=41, agent_id="1002"))
    assert screens.told == ["A colleague took the call."] and service.core.phase is None
    stream.dispatch(incoming(43))
    stream.dispatch(event("call_ended", call_id=43))
    assert screens.told[-1] == "The caller hung up before the call was taken."
    assert not service.hang_up()
    assert screens.told[-1] == "No call to wrap up."
    stream.dispatch(incoming(44))
    assert not service.hang_up()
    assert screens.told[-1] == "The call is still ringing: take it first."
    assert screens.hung_up == []


def test_a_locked_seat_rings_only_on_unlock() -> None:
    clock = Clock()
    service, _backend, screens, stream = seat(clock)
    screens.locked = True
    stream.dispatch(incoming(41))
    assert screens.rang == [] and not service.core.call.active and len(screens.held) == 1
    screens.locked = False
    screens.held.pop()()  # the unlock
    assert [r.call_id for r in screens.rang] == [41]


async def test_changes_made_while_the_backend_is_away_go_in_order_when_it_is_back() -> None:
    clock = Clock()
    service, backend, screens, _stream = seat(clock)
    backend.away = True
    service.choose("not_ready:break")
    service.choose("ready")
    await screens.run_work()
    assert backend.states == [] and len(service.unsent) == 2
    assert screens.told == ["Backend unreachable: your state will be sent when it is back."]
    backend.away = False
    service.resend()
    await screens.run_work()
    assert backend.states == [("not_ready", "break", None, ""), ("ready", "", None, "")]
    assert service.unsent == []


async def test_a_call_the_backend_still_has_is_taken_up_at_the_start_and_f10_ends_it() -> None:
    """A console restarted mid-call (or a PBX that lost the hangup): the backend still
    has the agent on the call; the seat takes it up, on call, and F10 ends it there."""
    clock = Clock()
    service, backend, screens, _stream = seat(clock)
    assert not await service.rejoin()  # no call: nothing changes
    backend.away = True
    assert not await service.rejoin()  # backend away: nothing either, nothing told
    backend.away = False
    assert service.core.phase is None and screens.told == []

    backend.current = {"call_id": 52, "number": "18004716690", "number_masked": "180****6690",
                       "caller_id": 7, "caller_name": "Anna Schmidt", "direction": "in",
                       "call_ref": "pbx-52", "answered_at": None}  # fmt: skip
    assert await service.rejoin()
    core = service.core
    assert (core.phase, core.call.call_id, core.call.call_ref) == ("on_call", 52, "pbx-52")
    assert screens.rang == []  # no pop: the call is already in progress
    assert screens.told == ["You are still on a call with Anna Schmidt: F10 ends it."]
    assert not await service.rejoin()  # taken up once
    assert service.hang_up()  # F10
    assert screens.hung_up == [52] and core.phase == "acw"
    await screens.run_work()
    assert backend.states[:2] == [("on_call", "", 52, ""), ("acw", "", 52, "")]


async def test_a_hang_up_and_a_callback_result_are_kept_in_order_with_the_states() -> None:
    """F10 while the backend is away: the hang-up waits behind the after-call work and
    goes before the "ready" that followed it, as the agent did them."""
    clock = Clock()
    service, backend, screens, _stream = seat(clock)
    backend.away = True
    service.report(Change("acw", "", 7))
    service.report(CallResult(7, reached=True))
    service.report(HangUp(7))
    service.report(Change("ready", "", 7, "answered"))
    await screens.run_work()
    assert backend.states == [] and backend.ended == [] and len(service.unsent) == 4
    assert screens.told == ["Backend unreachable: your state will be sent when it is back."]
    backend.away = False
    service.resend()
    await screens.run_work()
    assert backend.log == ["state acw", "result 7 True", "hang up 7", "state ready"]
    assert service.unsent == []


async def test_a_call_taken_up_at_the_start_keeps_its_length_by_the_servers_clock() -> None:
    """Ten minutes into a call the console restarts: the strip says ten minutes, by the
    server's count (before: at most one, the cap that guards live events against a
    skewed clock). A figure past a shift is not believed."""
    call = {"call_id": 53, "number": "18004716690", "direction": "in", "call_ref": "pbx-53",
            "answered_at": "2000-01-01T00:00:00Z"}  # fmt: skip
    for ago, shown in ((600.0, 600.0), (10 * 86400.0, 60.0), ("junk", 60.0)):
        clock = Clock()
        service, backend, screens, _stream = seat(clock)
        backend.current = {**call, "answered_seconds_ago": ago}
        assert await service.rejoin()
        await screens.run_work()  # the "on call" sent
        assert service.core.call.started is not None
        assert clock.now - service.core.call.started == shown
