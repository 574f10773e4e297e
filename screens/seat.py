"""The agent's seat on screen: the pickers of F8 (ready / not ready, or the state for
after the call) and F10 (the wrap-up code).

The calls' comings and goings and what they decide are the seat's service
(agent_console/seat/seat_service.py, no Textual): this module opens its pickers,
hands it the agent's picks and publishes a closed call to the screens. How a ringing
call reaches the agent (the card, or the strip and the bell) is screens/call_pop.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.signal import Signal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.agent_state import NOT_READY, NOT_READY_REASONS, READY, WRAP_UP_CODES
from agent_console.i18n import _
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.seat import HangUp, PopPolicy, Report, SeatCore
from agent_console.seat.call import OUT
from agent_console.seat.seat_service import SeatService

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.screens.language import Switch


class SeatPicker(Dialog[str | None]):
    """A short list: Enter or its digit picks, Escape leaves things as they were."""

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

    def __init__(
        self, title: str, options: Callable[[], list[tuple[str, str]]], reminder: str = ""
    ) -> None:
        """`options` makes the (key, label) pairs in the language of the moment, so a
        language switch while the picker is up shows them in the new one."""
        super().__init__()
        self.title_text = title
        self.make_options = options
        self.options = options()
        self.reminder = reminder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="seat-title")
            reminder = Static(Content(self.reminder), id="seat-reminder")
            reminder.display = bool(self.reminder)
            yield reminder
            yield OptionList(*self.option_items(), id="seat-options")

    def option_items(self) -> list[Option]:
        return [
            Option(Content(f"{i}. {label}"), id=key)
            for i, (key, label) in enumerate(self.options, 1)
        ]

    def relabel(self, switch: Switch) -> None:
        """The language changed: the title and the bar as any screen, the options anew."""
        from agent_console.screens.language import relabel_widgets

        relabel_widgets(self, switch)
        self.options = self.make_options()
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        options.add_options(self.option_items())
        options.highlighted = keep

    def widget_keys(self) -> list[tuple[str, str]]:
        return [("Enter", _("Choose")), (f"1-{len(self.options)}", _("Choose by number"))]

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
    """The seat's service (agent_console/seat/seat_service.py) with its pickers."""

    def __init__(self, console: AgentConsole) -> None:
        self.console = console
        self.service = service = SeatService(
            console.session,
            console.client,
            spawn=console.spawn,
            tell=console.tell,
            publish=console.publish_status,
        )
        self.core: SeatCore = service.core
        self.policy = PopPolicy()  # pop the card, or announce the call (keys being typed)
        # The wrap-up closed a call (its key): what belonged to it goes (the ticket form).
        self.closed: Signal[str] = Signal(console, "call_closed")
        from agent_console.screens.call_pop import CallPop

        self.pop = CallPop(console, self)
        service.ringing = self.pop.ringing
        service.hung_up = self._hung_up
        service.ask_wrap_up = self.wrap_up
        service.closed = self.closed.publish
        service.hold = lambda later: console.lock.hold(later)  # (the lock comes later)
        service.follow(console.event_stream)

    @property
    def state(self) -> Any:
        return self.console.session.seat

    @property
    def picker_open(self) -> bool:
        """A picker is up. Not a flag set on open and cleared by the answer: a screen key
        closes a picker without one (App.action_open_screen pops the dialogs), and the
        flag stayed set: F8 and F10 opened nothing for the rest of the session."""
        stacks = self.console._screen_stacks.values()  # every mode's (a picker left under
        # another screen key's mode is still up there, its answer still to come)
        return any(isinstance(s, SeatPicker) for stack in stacks for s in stack)

    @property
    def call_key(self) -> str:
        """The current call's identity, for what is filed under it (the ticket draft)."""
        return self.core.call_key

    @property
    def unsent(self) -> list[Report]:
        return self.service.unsent

    def resend(self) -> None:
        """The backend is back: send the changes it missed, in order (wrap-up codes too)."""
        self.service.resend()

    # -- F8 ---------------------------------------------------------------------------
    def pick_state(self) -> None:
        if self.picker_open:
            return
        during = self.core.call.active

        def options() -> list[tuple[str, str]]:
            return [(READY, _("Ready"))] + [
                (f"{NOT_READY}:{key}", _("Not ready: {reason}").format(reason=_(label)))
                for key, label in NOT_READY_REASONS
            ]

        def chosen(value: str | None) -> None:
            self.service.choose(value)  # (then the wrap-up code, if it is still owed)

        title = _("After this call") if during else _("Your state")
        self._open(SeatPicker(title, options), chosen)

    # -- F10 --------------------------------------------------------------------------
    def _hung_up(self, call_id: int) -> None:
        """A callback placed from this console asks "reached?" (screens/call_back.py, over
        the code picker); any other call is hung up at the backend."""
        call = self.core.call
        if call.direction == OUT and not call.call_ref:
            from agent_console.screens.call_back import ask_reached

            self.console.call_later(ask_reached, self.console, call_id)
        else:
            self.service.report(HangUp(call_id))

    def wrap_up(self, reminder: str = "") -> None:
        """F10: end the call in progress (after-call work starts), then ask for a code."""
        if not self.service.hang_up() or self.picker_open:
            return

        def options() -> list[tuple[str, str]]:
            return [(key, _(label)) for key, label in WRAP_UP_CODES]

        def chosen(code: str | None) -> None:
            if code:
                self.service.finish(code)

        self._open(SeatPicker(_("Wrap-up code for the call"), options, reminder), chosen)

    def _open(self, screen: SeatPicker, done: Callable[[str | None], None]) -> None:
        self.console.push_screen(screen, done)
