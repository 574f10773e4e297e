"""A supervisor's hand on one seat (issue 16), opened from the wallboard (Enter on an
agent's row): set the agent ready or not ready with a reason, sign the seat out (after
a question that takes the reason their lock shows), send a one-line message that
stays on their console until read.

Every action goes to the backend in a worker; what it did, or why not, shows in the
dialog, and a message typed is kept until it was sent. The agent's name and number
are text, never markup. What is offered and the words said are agent_console/seat_hand.py.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.screens.widgets.key_bar import KeyBar
from agent_console.seat_hand import (
    MAX_MESSAGE,
    SIGN_OUT,
    choices,
    done,
    message_problem,
    one_line,
    refusal,
    who,
)


class SeatActionsScreen(ConsoleAccess, Dialog[None]):
    DEFAULT_CSS = """
    SeatActionsScreen { align: center middle; }
    #seat-box { width: 72; max-width: 100%; height: auto; max-height: 100%;
                border: thick $accent; background: $surface; padding: 0 1; }
    #seat-title { text-style: bold; }
    #seat-choices { height: auto; max-height: 10; margin: 1 0 0 0; }
    #seat-message-label { margin: 1 0 0 0; }
    #seat-result { height: auto; min-height: 1; }
    #seat-result.-refused { color: $error; text-style: bold; }
    #seat-hint { color: $text-muted; }
    """
    BINDINGS = bindings_for("seatactions")
    AUTO_FOCUS = "#seat-choices"

    def __init__(self, agent_id: str, agent_no: str, name: str) -> None:
        super().__init__()
        self.agent_id = agent_id
        self.agent_no = agent_no
        self.agent_name = name
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="seat-box"):
            title = _("Seat of {agent}").format(agent=who(self.agent_no, self.agent_name))
            yield Static(Content(title), id="seat-title")
            yield OptionList(*[Option(label, id=value) for value, label in choices()],
                             id="seat-choices")  # fmt: skip
            label = _("Message to the agent (one line, at most {max} characters)")
            yield Static(Content(label.format(max=MAX_MESSAGE)), id="seat-message-label")
            yield Input(
                placeholder=_("Enter sends it"), max_length=MAX_MESSAGE * 2, id="seat-message"
            )
            yield Static(id="seat-result")
            hint = _("Enter: do it · Tab: the message ⇄ the actions · Esc: close")
            yield Static(Content(hint), id="seat-hint")
        yield KeyBar()  # this dialog's keys, not those of the screen beneath

    def say(self, text: str, refused: bool = False) -> None:
        result = self.query_one("#seat-result", Static)
        result.set_class(refused, "-refused")
        result.update(Content(text))

    def action_close(self) -> None:
        self.dismiss(None)

    # -- state and sign-out ------------------------------------------------------------
    @on(OptionList.OptionSelected, "#seat-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        value = event.option.id or ""
        if value == SIGN_OUT:
            self._ask_sign_out()
        elif value:
            self._apply(value)

    def _ask_sign_out(self) -> None:
        from agent_console.screens.supervisor.sign_out_question import SignOutQuestion

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._apply(SIGN_OUT, reason)

        self.app.push_screen(SignOutQuestion(who(self.agent_no, self.agent_name)), answered)

    @work(group="seat-action", exclusive=True, exit_on_error=False)
    async def _apply(self, value: str, reason: str = "") -> None:
        """`value` from choices(); `reason`: a sign-out's, for the agent's lock."""
        client = self.console.client
        self.say(_("Sending…"))
        try:
            if value == SIGN_OUT:
                await client.sign_out_seat(self.agent_id, reason)
            else:
                state, _sep, reason = value.partition(":")
                await client.set_seat_state(self.agent_id, state, reason)
        except (BackendError, BackendUnavailable) as exc:
            self.say("✗ " + refusal(exc, self.agent_no), refused=True)
            return
        self.say("✓ " + done(value, self.agent_no, self.agent_name))

    # -- the message ---------------------------------------------------------------------
    @on(Input.Submitted, "#seat-message")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = message_problem(event.value)
        if problem:
            self.say("✗ " + problem, refused=True)
            return
        self._send(one_line(event.value))

    @work(group="seat-message", exclusive=True, exit_on_error=False)
    async def _send(self, text: str) -> None:
        self.say(_("Sending…"))
        try:
            await self.console.client.send_floor_message(self.agent_id, text)
        except (BackendError, BackendUnavailable) as exc:
            self.say("✗ " + refusal(exc, self.agent_no), refused=True)  # the text stays
            return
        box = self.query_one("#seat-message", Input)
        if one_line(box.value) == text:
            box.value = ""
        self.say("✓ " + done("message", self.agent_no, self.agent_name))
