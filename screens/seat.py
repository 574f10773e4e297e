"""The agent's seat: ready / not ready (F8), hang up and wrap up (F10), and the rule
that a wrap-up code comes before the next call.

`Seat` keeps SessionState.seat in step with the backend (PUT /agents/me/state, in a
worker: a backend that is down never stops the agent changing state; the status bar
shows the local state and the next change is sent when it is back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.agent_state import (
    ACW,
    NOT_READY,
    NOT_READY_REASONS,
    ON_CALL,
    READY,
    WRAP_UP_CODES,
)
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from screens.keys import bindings_for

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
        self.held_call: dict[str, Any] | None = None  # a call waiting for the wrap-up
        # State changes made while the backend was away, oldest first.
        self.unsent: list[tuple[str, str, int | None, str]] = []
        self.picker_open = False

    @property
    def state(self) -> Any:
        return self.console.session.seat

    def _change(self, state: str, reason: str = "", wrap_up: str = "") -> None:
        call_id = self.console.session.call.call_id
        if self.state.change(state, reason) or wrap_up:
            self.console.publish_status()
            self.console.run_worker(
                self._send(state, reason, call_id, wrap_up),
                group="seat-state",
                exit_on_error=False,
            )

    async def _send(self, state: str, reason: str, call_id: int | None, wrap_up: str) -> None:
        change = (state, reason, call_id, wrap_up)
        if self.unsent:  # keep the order: an earlier change is still waiting
            self.unsent.append(change)
            return
        try:
            await self.console.client.set_state(state, reason, call_id=call_id, wrap_up=wrap_up)
        except BackendUnavailable:
            self.unsent.append(change)
            self.console.notify(
                _("Backend unreachable: your state will be sent when it is back."),
                title=_("State kept"),
                severity="warning",
                markup=False,
            )
        except BackendError as exc:
            self.console.notify(
                exc.message, title=_("State not sent"), severity="warning", markup=False
            )

    def resend(self) -> None:
        """The backend is back: send the changes it missed, in order (wrap-up codes too)."""
        if self.unsent:
            self.console.run_worker(
                self._resend(), group="seat-resend", exclusive=True, exit_on_error=False
            )

    async def _resend(self) -> None:
        while self.unsent:
            state, reason, call_id, wrap_up = self.unsent[0]
            try:
                await self.console.client.set_state(state, reason, call_id=call_id, wrap_up=wrap_up)
            except BackendUnavailable:
                return  # still away: the next time it is back
            except BackendError:
                pass  # refused (e.g. that call is gone): drop it, send the rest
            self.unsent.pop(0)

    # -- F8 ---------------------------------------------------------------------------
    def pick_state(self) -> None:
        if self.state.state == ACW:
            self.console.notify(_("Choose a wrap-up code first (F10)."), markup=False)
            self.wrap_up()
            return
        if self.picker_open:
            return
        options = [(READY, _("Ready"))] + [
            (f"{NOT_READY}:{key}", _("Not ready: {reason}").format(reason=_(label)))
            for key, label in NOT_READY_REASONS
        ]

        def chosen(value: str | None) -> None:
            self.picker_open = False
            if value == READY:
                self._change(READY)
            elif value:
                self._change(NOT_READY, value.split(":", 1)[1])

        self._open(SeatPicker(_("Your state"), options), chosen)

    # -- calls --------------------------------------------------------------------------
    def intercept(self, data: dict[str, Any], resume: Callable[[dict[str, Any]], None]) -> bool:
        """A call rings: hold it while a wrap-up is pending (remind the agent first)."""
        if self.state.state != ACW:
            return False
        self.held_call = data
        self._resume = resume
        self.wrap_up(reminder=_("A call is waiting: choose the wrap-up code of the last call."))
        return True

    def call_started(self) -> None:
        self._change(ON_CALL)

    def wrap_up(self, reminder: str = "") -> None:
        """F10: end the call in progress (after-call work starts), then ask for a code."""
        call = self.console.session.call
        if self.state.state != ACW:
            if call.started is None:
                self.console.notify(_("No call to wrap up."), markup=False)
                return
            self.state.call_seconds = call.elapsed()
            self._change(ACW)
        if self.picker_open:
            return
        options = [(key, _(label)) for key, label in WRAP_UP_CODES]

        def chosen(code: str | None) -> None:
            self.picker_open = False
            if code:
                self.finish(code)

        self._open(SeatPicker(_("Wrap-up code for the call"), options, reminder), chosen)

    def finish(self, code: str) -> None:
        """The wrap-up code is in: back to ready; a held call rings now."""
        self._change(READY, wrap_up=code)
        self.console.session.call.clear()
        self.console.publish_status()
        held, self.held_call = self.held_call, None
        if held is not None:
            self._resume(held)

    def _open(self, screen: SeatPicker, done: Callable[[str | None], None]) -> None:
        self.picker_open = True
        self.console.push_screen(screen, done)
