"""A supervisor hands the open ticket on (issue 16, "ticket.reassign" on the ticket's
detail): to another agent, who owns it and calls back, or to another field station.
Names are text, never markup; the picker's entries come from agent_console/seat_hand.py.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.seat_hand import reassign_targets, refusal


class ReassignScreen(ConsoleAccess, Dialog[str | None]):
    """Dismissed with the new owner's label once the backend took it, else None."""

    DEFAULT_CSS = """
    ReassignScreen { align: center middle; }
    #reassign-box { width: 64; max-width: 100%; height: auto; max-height: 100%;
                    border: thick $accent; background: $surface; padding: 0 1; }
    #reassign-title { text-style: bold; }
    #reassign-targets { height: auto; max-height: 14; margin: 1 0; }
    #reassign-result.-refused { color: $error; text-style: bold; }
    """
    BINDINGS = bindings_for("reassign")
    KEYS = (("Enter", N_("Reassign")),)
    AUTO_FOCUS = "#reassign-targets"

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="reassign-box"):
            title = _("Reassign ticket #{id} to").format(id=self.ticket_id)
            yield Static(Content(title), id="reassign-title")
            yield OptionList(id="reassign-targets")
            yield Static(Content(_("Loading…")), id="reassign-result")

    def on_mount(self) -> None:
        self._load()

    def say(self, text: str, refused: bool = False) -> None:
        result = self.query_one("#reassign-result", Static)
        result.set_class(refused, "-refused")
        result.update(Content(text))

    @work(group="reassign-load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        client = self.console.client
        try:
            seats = await client.seat_states()
            stations = await client.stations()
        except (BackendError, BackendUnavailable) as exc:
            self.say("✗ " + refusal(exc, ""), refused=True)
            return
        targets = reassign_targets(
            [(s.agent_id, s.agent_no, s.name, s.role) for s in seats],
            [(s.code, s.name) for s in stations],
        )
        self.labels = dict(targets)
        box = self.query_one("#reassign-targets", OptionList)
        box.add_options([Option(Content(label), id=value) for value, label in targets])
        box.highlighted = 0 if targets else None
        self.say("")

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#reassign-targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._reassign(event.option.id)

    @work(group="reassign", exclusive=True, exit_on_error=False)
    async def _reassign(self, value: str) -> None:
        kind, _sep, target = value.partition(":")
        self.say(_("Sending…"))
        try:
            if kind == "agent":
                await self.console.client.reassign_ticket(self.ticket_id, agent_id=target)
            else:
                await self.console.client.reassign_ticket(self.ticket_id, station=target)
        except (BackendError, BackendUnavailable) as exc:
            self.say("✗ " + refusal(exc, target), refused=True)
            return
        self.dismiss(self.labels.get(value, target))
