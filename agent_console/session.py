"""What the status bar shows: the agent, their state, the backend, the call."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_console.agent_state import SeatState
from agent_console.models.agent import Agent
from agent_console.seat.call import CallContext


@dataclass
class SessionState:
    agent: Agent | None = None
    # A token's check (or the demo's sign-in) is under way: the bar says "signing in…"
    # rather than "not signed in" until it answers.
    signing_in: bool = False
    backend_ok: bool | None = None
    practice: bool = False
    call: CallContext = field(default_factory=CallContext)
    events: str = "off"  # the backend's event stream: off, connecting, live, retrying
    seat: SeatState = field(default_factory=SeatState)  # ready / not ready / ACW, timer
    outbox_waiting: int = 0  # tickets kept locally, not yet taken by the backend
    outbox_refused: int = 0  # tickets the backend refused: the agent must look at them
    # Other agents' tickets waiting in this seat's outbox for this backend: (agent, n).
    # Only their own console can sign for them; the bar names them.
    outbox_others: tuple[tuple[str, int], ...] = ()
    # Parts of the seat that are failing right now ("outbox", "draft", "log") and why;
    # the bar says so until the part works again.
    problems: dict[str, str] = field(default_factory=dict[str, str])
