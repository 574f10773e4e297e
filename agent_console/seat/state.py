"""The seat's core: the current call and the agent's state, as one model.

Ready -> ringing -> on call -> after-call work (a wrap-up code is required) -> Ready,
or the state the agent chose during the call for after it ("not ready after this
call: break"). A card opened by hand is not a call. A call that rings while another
is in progress (or owes its wrap-up code) waits for that wrap-up.

Inputs are narrow: the server's call events (as dicts), the agent's keys (take, hang
up, wrap-up code, state chosen), and a clock. Outputs: the state changes the backend
must be told (`on_report`) and `on_change` for whoever draws it. No Textual here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from agent_console.agent_state import ACW as STATE_ACW
from agent_console.agent_state import NOT_READY, ON_CALL, READY, SeatState, clock
from agent_console.i18n import _
from agent_console.models.caller import Caller
from agent_console.seat.call import ACW, IN, OUT, RINGING, CallContext
from agent_console.seat.call import ON_CALL as PHASE_ON_CALL

SIGNED_OUT = "signed_out"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def seconds_ago(at: Any, now: datetime | None = None) -> float:
    """How long ago an event's ISO `at` was (0 when unreadable or in the future; at
    most a minute, so a skewed server clock cannot make a call look hours long)."""
    try:
        when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    age = ((now or datetime.now(timezone.utc)) - when).total_seconds()
    return min(max(age, 0.0), 60.0)


@dataclass(frozen=True)
class Ring:
    """An `incoming_call` event, read defensively (new fields are optional)."""

    call_id: int | None
    number: str
    number_masked: str = ""
    caller_id: int | None = None
    caller_name: str = ""
    direction: str = IN
    call_ref: str = ""

    @property
    def phone_system(self) -> bool:
        """A phone system stands behind the call and says when it is answered; a
        simulated call (no call_ref) is answered by the console itself."""
        return bool(self.call_ref)

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> Ring:
        direction = _str(data.get("direction"))
        return cls(
            call_id=_int(data.get("call_id")),
            number=_str(data.get("number")),
            number_masked=_str(data.get("number_masked")),
            caller_id=_int(data.get("caller_id")),
            caller_name=_str(data.get("caller_name")),
            direction=direction if direction in (IN, OUT) else IN,
            call_ref=_str(data.get("call_ref")),
        )


@dataclass(frozen=True)
class Change:
    """A state the backend must be told (PUT /agents/me/state)."""

    state: str
    reason: str = ""
    call_id: int | None = None
    wrap_up: str = ""


@dataclass(frozen=True)
class HangUp:
    """F10 ended this call here: the backend must end it too (POST /calls/{id}/hangup;
    ending an ended call again changes nothing there, so a late one is harmless)."""

    call_id: int


@dataclass(frozen=True)
class CallResult:
    """Whether a callback placed from this console reached the caller."""

    call_id: int
    reached: bool


#: What the seat tells the backend, in the order it happened (seat/reporter.py).
Report = Change | HangUp | CallResult


class SeatCore:
    def __init__(
        self,
        state: SeatState | None = None,
        call: CallContext | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        me: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.clock = clock
        self.state = state or SeatState(since=clock(), clock=clock)
        self.call = call or CallContext(clock=clock)
        self.me = me  # the signed-in agent's id (call_answered names who took the call)
        self.after_call: tuple[str, str] | None = None  # chosen during the call, for after it
        self.held: list[Ring] = []  # calls that rang while another was in progress
        self.announced = False  # the ringing call waits for the take key (agent was typing)
        self.ring_info: Ring | None = None  # the current call's ring
        # Signed out from the floor (a supervisor): the seat has no state and no timer
        # until the agent signs in again (signed_out / signed_in).
        self.signed_out = False
        self.on_report: Callable[[Change], None] = lambda change: None
        self.on_change: Callable[[], None] = lambda: None

    # -- what screens read ---------------------------------------------------------------
    @property
    def call_key(self) -> str:
        """The current call's identity ("call:<id>"), or outside a call the caller's
        ("caller:<id>"), or "": a ticket draft is filed under it."""
        return self.call.key

    @property
    def phase(self) -> str | None:
        return self.call.phase

    @property
    def ringing(self) -> bool:
        return self.call.phase == RINGING

    # -- the server's events ---------------------------------------------------------------
    def ring(self, ring: Ring) -> str:
        """A call rings here: "ringing", "held" (another call first) or "repeat"."""
        if ring.call_id is not None and (
            (ring.call_id == self.call.call_id and self.call.active)
            or any(h.call_id == ring.call_id for h in self.held)
        ):
            return "repeat"
        if self.call.active:
            self.held.append(ring)
            return "held"
        self.call.begin(
            ring.number,
            ring.call_id,
            phase=RINGING,
            direction=ring.direction,
            number_masked=ring.number_masked,
            caller_name=ring.caller_name,
            call_ref=ring.call_ref,
        )
        self.ring_info = ring
        self.announced = False
        self.on_change()
        return "ringing"

    def answered(self, call_id: Any, agent_id: Any, ago: float = 0.0) -> str:
        """`call_answered`: "mine" (on call, timer from the answer), "elsewhere" (it
        stops ringing here) or "unknown"."""
        call_id = _int(call_id)
        mine = agent_id is not None and str(agent_id) == str(self.me())
        if not mine:
            self.held = [h for h in self.held if h.call_id != call_id]
        if call_id is None or call_id != self.call.call_id or not self.call.active:
            return "unknown"
        if mine:
            if self.call.phase == RINGING:
                self._answer(self.clock() - ago)
            return "mine"
        if self.call.phase == RINGING:
            self._drop()
            return "elsewhere"
        return "unknown"

    def ended(self, call_id: Any) -> str:
        """`call_ended`: "acw" (my call: after-call work), "missed" (it rang here and
        nobody here took it), "held" (a waiting call went) or "unknown"."""
        call_id = _int(call_id)
        if call_id is None:
            return "unknown"
        if call_id == self.call.call_id and self.call.active:
            if self.call.phase == PHASE_ON_CALL:
                self.hang_up()
                return "acw"
            if self.call.phase == RINGING:
                self._drop()
                return "missed"
            return "unknown"
        before = len(self.held)
        self.held = [h for h in self.held if h.call_id != call_id]
        return "held" if len(self.held) < before else "unknown"

    def sign_out(self) -> None:
        """A supervisor signed the seat out: the status bar says so, with no timer."""
        self.signed_out = True
        self.on_change()

    def signed_in(self) -> None:
        """Signed in again after a sign-out from the floor: the state it had goes on,
        its timer from now (the backend hears it again, as new)."""
        if self.signed_out:
            self.signed_out = False
            self.state.since = self.clock()
            self.on_change()

    # -- the agent's keys ------------------------------------------------------------------
    def take(self) -> bool:
        """The agent takes the ringing call (the take key, or the card popped by
        itself for a call no phone system answers): on call from now."""
        if self.call.phase != RINGING:
            return False
        self._answer(self.clock())
        return True

    def hang_up(self) -> bool:
        """The call ends (F10, or the phone system's hang-up): after-call work. True
        while a wrap-up code is owed."""
        if self.call.phase == ACW:
            return True
        if self.call.phase != PHASE_ON_CALL:
            return False
        self.state.call_seconds = self.call.elapsed()
        self.call.phase = ACW
        self._set(STATE_ACW)
        self.on_change()
        return True

    def wrap_up(self, code: str) -> Ring | None:
        """The wrap-up code is in: the state chosen during the call (else Ready), the
        call is gone; returns a call that waited, to ring now."""
        if self.call.phase != ACW:
            return None
        state, reason = self.after_call or (READY, "")
        self.after_call = None
        self._set(state, reason, wrap_up=code)
        self._forget()
        return self.held.pop(0) if self.held else None

    def choose(self, state: str, reason: str = "") -> str:
        """F8: "now" (changed at once) or "after_call" (kept for after the call, which
        goes on; its wrap-up then leads to this state instead of Ready)."""
        if state not in (READY, NOT_READY):
            raise ValueError(state)
        if self.call.active:
            self.after_call = (state, reason)
            self.on_change()
            return "after_call"
        self._set(state, reason)
        self.on_change()
        return "now"

    def open_by_hand(self, caller: Caller) -> None:
        """A card the agent opened: the caller of the call in progress, or outside a
        call the caller being dealt with. No timer, no state change."""
        self.call.set_caller(caller)

    def outbound(
        self, caller: Caller | None, call_id: int | None, number: str = "", masked: str = ""
    ) -> bool:
        """The agent calls back a caller, or the number of a missed call nobody knows
        yet (`caller` None): an outbound call, on call from now."""
        if self.call.active:
            return False
        self.call.begin(
            number or (caller.phone if caller else ""),
            call_id,
            phase=PHASE_ON_CALL,
            direction=OUT,
            number_masked=masked or (caller.phone if caller else ""),
            caller_name=caller.name if caller else "",
        )
        if caller is not None:
            self.call.set_caller(caller)
        self.ring_info = None
        self._set(ON_CALL)
        self.on_change()
        return True

    def shown(self) -> tuple[str, float]:
        """The state the status bar shows and since when: RINGING while a call rings
        here (from its ring), else the agent's state. Ringing is never reported to the
        backend (its states are ready, not ready, on call, ACW): the phone system
        says a call rings, and a call not taken leaves the agent as they were.
        SIGNED_OUT (since now: no timer) after a sign-out from the floor."""
        if self.signed_out:
            return SIGNED_OUT, self.clock()
        if self.ringing and self.call.started is not None:
            return RINGING, self.call.started
        return self.state.state, self.state.since

    def label(self, now: float) -> str:
        """The status bar's words for shown() at `now`: "Ringing 00:04", else the
        agent state's ("Ready 03:12")."""
        state, since = self.shown()
        if state == SIGNED_OUT:
            return _("Signed out")
        if state == RINGING:
            return _("Ringing {elapsed}").format(elapsed=clock(now - since))
        return self.state.label(now=now)

    # -- inside ----------------------------------------------------------------------------
    def _answer(self, at: float) -> None:
        self.call.answer(at)
        self.announced = False
        self._set(ON_CALL)
        self.on_change()

    def _drop(self) -> None:
        """The ringing call is not ours after all: gone, and a state chosen for after
        it applies now."""
        self._forget()
        if self.after_call is not None:
            state, reason = self.after_call
            self.after_call = None
            self._set(state, reason)

    def _forget(self) -> None:
        self.call.clear()
        self.ring_info = None
        self.announced = False
        self.on_change()

    def _set(self, state: str, reason: str = "", wrap_up: str = "") -> None:
        if self.state.change(state, reason) or wrap_up:
            self.on_report(Change(state, reason, self.call.call_id, wrap_up))
