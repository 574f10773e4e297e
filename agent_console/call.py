"""The call in progress: moved to agent_console/seat/call.py (the seat's core); the
names stay importable from here."""

from __future__ import annotations

from agent_console.seat.call import CallContext, TicketPrefill

__all__ = ["CallContext", "TicketPrefill"]
