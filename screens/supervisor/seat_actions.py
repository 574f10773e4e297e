"""A placeholder for the seat actions dialog (owned by the helper seat-hand, whose file
replaces this one on merge): it names the agent the wallboard's Enter picked; Esc closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from agent_console.i18n import N_


class SeatActionsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SeatActionsScreen { align: center middle; }
    #seat-actions-box { width: 50; height: auto; border: thick $accent; background: $surface;
                        padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", N_("Close"), id="seatactions.close")]

    def __init__(self, *, agent_id: str, agent_no: str, name: str) -> None:
        super().__init__()
        self.agent_id = agent_id
        self.agent_no = agent_no
        self.agent_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="seat-actions-box"):
            yield Static(Content(f"{self.agent_no} {self.agent_name}"), id="seat-actions-name")
