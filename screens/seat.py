"""The agent's seat on screen: the pickers of F8 (ready / not ready, or the state for
after the call) and F10 (hang up, wrap-up code), and the calls' comings and goings.

The decisions are the seat's core (agent_console/seat/, no Textual): this module
shows them and runs their network work in workers (PUT /agents/me/state: a backend
that is down never stops the agent changing state; the change is sent when it is
back). How a ringing call reaches the agent (the card, or the strip and the bell) is
screens/call_pop.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.agent_state import NOT_READY, NOT_READY_REASONS, READY, WRAP_UP_CODES
from agent_console.i18n import _
from agent_console.screens.keys import bindings_for
from agent_console.seat import Change, PopPolicy, Ring, SeatCore
from agent_console.seat.call import ACW
from agent_console.seat.reporter import StateReporter
from agent_console.seat.state import seconds_ago

if TYPE_CHECKING:
    from agent_console.app import AgentConsole


class SeatPicker(ModalScreen[str | None]):
    """A short list: Enter picks, Escape leaves things as they were."""

    BINDINGS = bindings_for("seatpick")
    DEFAULT_CSS = """
    SeatPicker { align: center middle; }
    SeatPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SeatPicker #seat-reminder { color: $warning; text-style: bold; height: auto; }
    SeatPicker OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, title: str, options: list[tuple[str, str]], reminder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.reminder = reminder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="seat-title")
            reminder = Static(Content(self.reminder), id="seat-reminder")
            reminder.display = bool(self.reminder)
            yield reminder
            yield OptionList(
                *(
                    Option(Content(f"{i}. {label}"), id=key)
                    for i, (key, label) in enumerate(self.options, 1)
                ),
                id="seat-options",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        self.set_focus(options)

    def on_key(self, event: Any) -> None:
        # Digits pick directly: F10 then 2 is a wrap-up in two keys.
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Seat:
    def __init__(self, console: AgentConsole) -> None:
        self.console = console
        session = console.session
        self.core = SeatCore(
            session.seat,
            session.call,
            me=lambda: session.agent.id if session.agent else None,
        )
        self.core.on_report = self._report
        self.core.on_change = console.publish_status
        self.policy = PopPolicy()  # pop the card, or announce the call (keys being typed)
        self.reporter = StateReporter(self._send, kept=self._kept, refused=self._refused)
        self.picker_open = False
        # The wrap-up closed a call (its key): what belonged to it goes (the ticket form).
        self.closed: Signal[str] = Signal(console, "call_closed")
        from agent_console.screens.call_pop import CallPop

        self.pop = CallPop(console, self)

    @property
    def state(self) -> Any:
        return self.console.session.seat

    @property
    def call_key(self) -> str:
        """The current call's identity, for what is filed under it (the ticket draft)."""
        return self.core.call_key

    @property
    def unsent(self) -> list[Change]:
        return self.reporter.unsent

    # -- telling the backend -----------------------------------------------------------
    def _report(self, change: Change) -> None:
        self.console.publish_status()
        self.console.run_worker(self.reporter.send(change), group="seat-state", exit_on_error=False)

    async def _send(self, change: Change) -> None:
        await self.console.client.set_state(
            change.state, change.reason, call_id=change.call_id, wrap_up=change.wrap_up
        )

    def _kept(self) -> None:
        self.console.notify(
            _("Backend unreachable: your state will be sent when it is back."),
            title=_("State kept"),
            severity="warning",
            markup=False,
        )

    def _refused(self, message: str) -> None:
        self.console.notify(message, title=_("State not sent"), severity="warning", markup=False)

    def resend(self) -> None:
        """The backend is back: send the changes it missed, in order (wrap-up codes too)."""
        if self.reporter.unsent:
            self.console.run_worker(
                self.reporter.resend(), group="seat-resend", exclusive=True, exit_on_error=False
            )

    # -- F8 ---------------------------------------------------------------------------
    def pick_state(self) -> None:
        if self.picker_open:
            return
        during = self.core.call.active
        options = [(READY, _("Ready"))] + [
            (f"{NOT_READY}:{key}", _("Not ready: {reason}").format(reason=_(label)))
            for key, label in NOT_READY_REASONS
        ]

        def chosen(value: str | None) -> None:
            self.picker_open = False
            if value:
                state, _sep, reason = value.partition(":")
                self.core.choose(state, reason)
            if self.core.call.phase == ACW:  # the code is still owed: ask for it now
                self.wrap_up()

        title = _("After this call") if during else _("Your state")
        self._open(SeatPicker(title, options), chosen)

    # -- calls --------------------------------------------------------------------------
    def rang(self, data: dict[str, Any]) -> None:
        """`incoming_call`: ring here (card or announcement), or wait for the wrap-up."""
        ring = Ring.from_event(data)
        outcome = self.core.ring(ring)
        if outcome == "held":
            if self.core.call.phase == ACW:  # the wrap-up code of the last call comes first
                self.wrap_up(
                    reminder=_("A call is waiting: choose the wrap-up code of the last call.")
                )
            else:
                self.console.notify(
                    _("Another call is waiting: it rings after this call's wrap-up."),
                    title="☎",
                    markup=False,
                )
            return
        if outcome == "ringing":
            self.pop.ringing(ring)

    def answered(self, data: dict[str, Any]) -> None:
        """`call_answered`: mine (on call from its `at`), or a colleague took it."""
        outcome = self.core.answered(
            data.get("call_id"), data.get("agent_id"), seconds_ago(data.get("at"))
        )
        if outcome == "elsewhere":
            self.console.notify(_("A colleague took the call."), title="☎", markup=False)

    def ended(self, data: dict[str, Any]) -> None:
        """`call_ended`: my call ended (after-call work, the strip asks for the code) or a
        call that rang here went unanswered (a missed call)."""
        outcome = self.core.ended(data.get("call_id"))
        if outcome == "missed":
            self.console.notify(
                _("The caller hung up before the call was taken."), title="☎", markup=False
            )

    def wrap_up(self, reminder: str = "") -> None:
        """F10: end the call in progress (after-call work starts), then ask for a code."""
        core = self.core
        if core.ringing:
            self.console.notify(_("The call is still ringing: take it first."), markup=False)
            return
        was_on_call = core.call.phase != ACW
        call_id = core.call.call_id
        if not core.hang_up():
            self.console.notify(_("No call to wrap up."), markup=False)
            return
        if was_on_call and call_id is not None:
            self.pop.hang_up(call_id)
        if self.picker_open:
            return
        options = [(key, _(label)) for key, label in WRAP_UP_CODES]

        def chosen(code: str | None) -> None:
            self.picker_open = False
            if code:
                self.finish(code)

        self._open(SeatPicker(_("Wrap-up code for the call"), options, reminder), chosen)

    def finish(self, code: str) -> None:
        """The wrap-up code is in: the chosen state (or ready); a held call rings now."""
        key = self.core.call_key
        waiting = self.core.wrap_up(code)
        self.closed.publish(key)
        if waiting is not None and self.core.ring(waiting) == "ringing":
            self.pop.ringing(waiting)

    def _open(self, screen: SeatPicker, done: Callable[[str | None], None]) -> None:
        self.picker_open = True
        self.console.push_screen(screen, done)
