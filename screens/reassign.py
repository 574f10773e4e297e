"""A supervisor hands the open ticket on (issue 16, "ticket.reassign" on the ticket's
detail): to another agent, who owns it and calls back, or to another field station.

A centre has a hundred agents: as in the category picker, a few letters or digits of
a name, a number or a station narrow the list while the cursor stays in the box; Up
and Down move through what is left and Enter reassigns to the highlighted one. Names
are text, never markup; the entries and the matching are agent_console/seat_hand.py.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.seat_hand import filter_targets, reassign_targets, refusal


class TargetFilter(Input):
    """The filter box: Up/Down move the list's highlight, the cursor stays here."""

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def action_move(self, step: int) -> None:
        options = self.screen.query_one("#reassign-targets", OptionList)
        if options.option_count:
            at = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, at + step))


class ReassignScreen(ConsoleAccess, Dialog[str | None]):
    """Dismissed with the new owner's label once the backend took it, else None."""

    DEFAULT_CSS = """
    ReassignScreen { align: center middle; }
    #reassign-box { width: 64; max-width: 100%; height: auto; max-height: 100%;
                    border: thick $accent; background: $surface; padding: 0 1; }
    #reassign-title { text-style: bold; }
    #reassign-filter { margin: 1 0 0 0; }
    #reassign-targets { height: auto; max-height: 14; margin: 1 0; }
    #reassign-result.-refused { color: $error; text-style: bold; }
    """
    BINDINGS = bindings_for("reassign")
    KEYS = (("↑↓", N_("Choose")), ("Enter", N_("Reassign")))
    AUTO_FOCUS = "#reassign-filter"

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.labels: dict[str, str] = {}
        self.targets: list[tuple[str, str]] = []  # every entry, in the backend's order

    def compose(self) -> ComposeResult:
        with Vertical(id="reassign-box"):
            title = _("Reassign ticket #{id} to").format(id=self.ticket_id)
            yield Static(Content(title), id="reassign-title")
            yield TargetFilter(
                placeholder=_("Type a name, number or station to narrow the list"),
                id="reassign-filter",
            )
            yield OptionList(id="reassign-targets")
            yield Static(Content(_("Loading…")), id="reassign-result")

    def on_mount(self) -> None:
        self.query_one("#reassign-targets", OptionList).can_focus = False
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
        self.targets = targets
        self.labels = dict(targets)
        self.say("")
        self.refilter()

    def refilter(self) -> None:
        """The list as the filter box has it now; the best match highlighted."""
        query = self.query_one("#reassign-filter", Input).value
        shown = filter_targets(self.targets, query)
        box = self.query_one("#reassign-targets", OptionList)
        box.clear_options()
        box.add_options([Option(Content(label), id=value) for value, label in shown])
        box.highlighted = 0 if shown else None
        if self.targets and not shown:
            self.say(_("Nothing matches “{query}”.").format(query=query.strip()))
        elif self.targets:
            self.say("")

    @on(Input.Changed, "#reassign-filter")
    def _typed(self, _event: Input.Changed) -> None:
        self.refilter()

    @on(Input.Submitted, "#reassign-filter")
    def _enter(self, _event: Input.Submitted) -> None:
        box = self.query_one("#reassign-targets", OptionList)
        if box.highlighted is None:
            return
        option = box.get_option_at_index(box.highlighted)
        if option.id:
            self._reassign(option.id)

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
