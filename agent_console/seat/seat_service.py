"""The seat's service: the calls' comings and goings and the agent's state keys, around
the seat's core (agent_console/seat/state.py), and the backend told of each change.

It follows the backend's call events (`incoming_call`, `call_answered`, `call_ended`)
and the agent's F8 (ready / not ready, or the state for after the call) and F10 (hang
up, wrap-up code); it decides what the agent is told and when a wrap-up code is owed.
The screens draw the pickers and the card (screens/seat.py, screens/call_pop.py) and
set the callbacks below. State changes, F10's hang-up and a callback's result go to
the backend in the background, in order (seat/reporter.py: a backend that is down
never stops the agent, and nothing they did is lost; it is sent when it is back).
No Textual here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent_console.i18n import _
from agent_console.seat.call import ACW
from agent_console.seat.ports import Spawn, Tell
from agent_console.seat.reporter import StateReporter
from agent_console.seat.state import (
    CallResult,
    Change,
    HangUp,
    Report,
    Ring,
    SeatCore,
    seconds_ago,
)

if TYPE_CHECKING:
    from agent_console.seat.event_stream import EventStream
    from agent_console.session import SessionState

log = logging.getLogger("agent_console.seat")


class StateClient(Protocol):
    """The part of the BackendClient the seat's state uses."""

    async def set_state(
        self, state: str, reason: str = "", *, call_id: int | None = None, wrap_up: str = ""
    ) -> object: ...

    async def current_call(self) -> dict[str, Any] | None: ...

    async def hang_up_call(self, call_id: int) -> None: ...

    async def call_result(self, call_id: int, reached: bool) -> None: ...


#: Longest call the take-up believes (a shift); the server's figure is checked, not trusted.
LONGEST_CALL_S = 12 * 3600.0


def _answered_ago(data: dict[str, Any]) -> float:
    """How long the taken-up call has been answered: the server's own count (its clock,
    so a console clock that is off does not matter; a restart after ten minutes on the
    call shows ten minutes), else the event time read on this clock (at most a minute)."""
    ago = data.get("answered_seconds_ago")
    if isinstance(ago, int | float) and not isinstance(ago, bool) and 0 <= ago <= LONGEST_CALL_S:
        return float(ago)
    return seconds_ago(data.get("answered_at"))


def _nothing(*_args: object) -> None:
    return None


class SeatService:
    def __init__(
        self,
        session: SessionState,
        client: StateClient,
        *,
        spawn: Spawn,
        tell: Tell,
        publish: Callable[[], None],
    ) -> None:
        self.session = session
        self.client = client
        self.spawn = spawn
        self.tell = tell
        self.publish = publish  # the status bar (and the call strip) draw the seat again
        self.core = SeatCore(
            session.seat,
            session.call,
            clock=session.call.clock,  # one clock for the call's timer and the seat's
            me=lambda: session.agent.id if session.agent else None,
        )
        self.core.on_report = self._report
        self.core.on_change = publish
        self.reporter = StateReporter(self._send, kept=self._kept, refused=self._refused)
        # What the screens do, set by them: a call rings here (the card, or the strip
        # and the bell); F10 ended a call here (tell the backend, as a phone system
        # would); a wrap-up code is owed (ask for it, with a reminder); the wrap-up
        # closed a call (its key: what belonged to it goes).
        self.ringing: Callable[[Ring], None] = _nothing
        self.hung_up: Callable[[int], None] = _nothing
        self.ask_wrap_up: Callable[[str], None] = _nothing
        self.closed: Callable[[str], None] = _nothing
        # While the seat is locked a ring is kept for the unlock (it would show the
        # caller): True when `later` was kept.
        self.hold: Callable[[Callable[[], None]], bool] = lambda later: False

    @property
    def unsent(self) -> list[Report]:
        return self.reporter.unsent

    def follow(self, stream: EventStream) -> None:
        """Listen to the backend's call events."""
        stream.on("incoming_call", self.incoming_call)
        stream.on("call_answered", self.answered)
        stream.on("call_ended", self.ended)

    # -- telling the backend -----------------------------------------------------------
    def _report(self, change: Change) -> None:
        self.publish()
        self.report(change)

    def report(self, report: Report) -> None:
        """Tell the backend, in order with the rest; kept while it is away."""
        self.spawn(self.reporter.send(report), group="seat-state")

    async def _send(self, report: Report) -> None:
        client = self.client
        if isinstance(report, HangUp):
            await client.hang_up_call(report.call_id)
        elif isinstance(report, CallResult):
            await client.call_result(report.call_id, report.reached)
        else:
            await client.set_state(
                report.state, report.reason, call_id=report.call_id, wrap_up=report.wrap_up
            )

    def _kept(self, report: Report) -> None:
        if isinstance(report, HangUp):
            message = _("Backend unreachable: the call's end will be sent when it is back.")
        elif isinstance(report, CallResult):
            message = _("Backend unreachable: the callback's result will be sent when it is back.")
        else:
            message = _("Backend unreachable: your state will be sent when it is back.")
        self.tell(message, title=_("State kept"), severity="warning")

    def _refused(self, report: Report, message: str) -> None:
        if isinstance(report, HangUp):  # the call is over there already, or not ours
            log.info("hang up call %s: %s", report.call_id, message)
        elif isinstance(report, CallResult):
            self.tell(
                _("The callback's result is not on record: {why}").format(why=message),
                severity="warning",
            )
        else:
            self.tell(message, title=_("State not sent"), severity="warning")

    def resend(self) -> None:
        """The backend is back: send the changes it missed, in order (wrap-up codes too)."""
        if self.reporter.unsent:
            self.spawn(self.reporter.resend(), group="seat-resend", exclusive=True)

    # -- the server's call events --------------------------------------------------------
    def incoming_call(self, data: dict[str, Any]) -> None:
        """`incoming_call`; a locked seat shows no caller: it rings on unlock."""
        if self.hold(lambda: self.incoming_call(data)):
            return
        self.rang(data)

    def rang(self, data: dict[str, Any]) -> None:
        """Ring here (card or announcement), or wait for the wrap-up."""
        ring = Ring.from_event(data)
        outcome = self.core.ring(ring)
        if outcome == "held":
            if self.core.call.phase == ACW:  # the wrap-up code of the last call comes first
                self.ask_wrap_up(_("A call is waiting: choose the wrap-up code of the last call."))
            else:
                self.tell(
                    _("Another call is waiting: it rings after this call's wrap-up."), title="☎"
                )
            return
        if outcome == "ringing":
            self.ringing(ring)

    def answered(self, data: dict[str, Any]) -> None:
        """`call_answered`: mine (on call from its `at`), or a colleague took it."""
        outcome = self.core.answered(
            data.get("call_id"), data.get("agent_id"), seconds_ago(data.get("at"))
        )
        if outcome == "elsewhere":
            self.tell(_("A colleague took the call."), title="☎")

    def ended(self, data: dict[str, Any]) -> None:
        """`call_ended`: my call ended (after-call work, the strip asks for the code) or a
        call that rang here went unanswered (a missed call)."""
        outcome = self.core.ended(data.get("call_id"))
        if outcome == "missed":
            self.tell(_("The caller hung up before the call was taken."), title="☎")

    async def rejoin(self) -> bool:
        """After the start or a sign-in: a call the backend has this agent on (answered,
        never ended: a console restarted mid-call, a phone system that lost the hangup)
        is the seat's call again, on call, so the strip shows it and F10 ends it. True
        when one was taken up."""
        from agent_console.client import BackendError, BackendUnavailable

        if self.core.call.active:
            return False
        try:
            data = await self.client.current_call()
        except (BackendError, BackendUnavailable):
            return False  # the next start tries again; nothing to tell
        if not data or self.core.call.active:
            return False
        ring = Ring.from_event(data)
        if ring.call_id is None or self.core.ring(ring) != "ringing":
            return False
        self.core.answered(ring.call_id, self.core.me(), _answered_ago(data))
        self.tell(
            _("You are still on a call with {who}: F10 ends it.").format(
                who=ring.caller_name or ring.number_masked or ring.number
            ),
            title="☎",
            severity="warning",
        )
        return True

    # -- the agent's keys ------------------------------------------------------------------
    def choose(self, value: str | None) -> None:
        """F8 picked `value` ("ready", "not_ready:<reason>"; None: left as it was).
        A wrap-up code still owed is asked for next."""
        if value:
            state, _sep, reason = value.partition(":")
            self.core.choose(state, reason)
        if self.core.call.phase == ACW:
            self.ask_wrap_up("")

    def hang_up(self) -> bool:
        """F10: end the call in progress (after-call work starts). True when a wrap-up
        code is owed (ask for it); otherwise the agent is told why not."""
        core = self.core
        if core.ringing:
            self.tell(_("The call is still ringing: take it first."))
            return False
        was_on_call = core.call.phase != ACW
        call_id = core.call.call_id
        if not core.hang_up():
            self.tell(_("No call to wrap up."))
            return False
        if was_on_call and call_id is not None:
            self.hung_up(call_id)
        return True

    def finish(self, code: str) -> None:
        """The wrap-up code is in: the chosen state (or ready); a held call rings now."""
        key = self.core.call_key
        waiting = self.core.wrap_up(code)
        self.closed(key)
        if waiting is not None and self.core.ring(waiting) == "ringing":
            self.ringing(waiting)
