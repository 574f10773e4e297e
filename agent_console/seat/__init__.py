"""The seat's core: the current call, the agent's state, the pop policy and the state
reporter, and the seat's services around them: the calls' comings and goings
(seat_service), the backend's event stream (event_stream), the outbox of kept
tickets (outbox_service) and the idle lock (lock). Plain Python, no Textual: each
service takes the narrow parts it uses (ports.py); screens render it and send it
the agent's keys."""

from __future__ import annotations

from agent_console.seat.call import CallContext, TicketPrefill
from agent_console.seat.pop_policy import ANNOUNCE, POP, PopPolicy
from agent_console.seat.state import CallResult, Change, HangUp, Report, Ring, SeatCore

__all__ = [
    "ANNOUNCE",
    "POP",
    "CallContext",
    "CallResult",
    "Change",
    "HangUp",
    "PopPolicy",
    "Report",
    "Ring",
    "SeatCore",
    "TicketPrefill",
]
