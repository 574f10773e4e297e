"""What the quality figures read: a date range of answered calls, state changes and
production tickets with their status changes (quality/figures.py computes from them)."""

from __future__ import annotations

from typing import Any

from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import SqlCore

#: Tickets whose callback may fall due in the range were created up to this long before.
CALLBACK_LOOKBACK_DAYS = 30
_TICKETS_WHERE = (
    "t.area = 'production' AND ((t.created_at >= ? AND t.created_at < ?)"
    " OR (t.status = 'closed' AND t.updated_at >= ?))"
)


class QualityMixin(SqlCore):
    def quality_facts(
        self, start: str, end: str, log_end: str, tickets_from: str, tickets_to: str
    ) -> Row:
        """Raw facts for [start, end) (UTC ISO): calls answered, the state log from
        `start` to `log_end` (past `end`: an after-call stretch ends after its start), and
        production tickets created in [tickets_from, tickets_to) or closed since
        `start`, with their status changes and the callback calls that reached the
        caller."""
        agents = self.all(
            "SELECT id, agent_no, name, team FROM agents"
            " WHERE role IN ('agent', 'mentor', 'supervisor') ORDER BY id"
        )
        calls = self.all(
            "SELECT answered_by AS agent_id, answered_at, ended_at FROM calls"
            " WHERE answered_at >= ? AND answered_at < ? AND answered_by IS NOT NULL",
            (start, end),
        )
        log = self.all(
            "SELECT agent_id, state, at FROM agent_state_log WHERE at >= ? AND at < ?"
            " ORDER BY agent_id, id",
            (start, log_end),
        )
        params: tuple[Any, ...] = (tickets_from, tickets_to, start)
        tickets = self.all(
            "SELECT t.id, t.created_by, t.caller_id, t.category, t.status, t.callback_due,"
            f" t.satisfaction, t.created_at, t.updated_at FROM tickets t WHERE {_TICKETS_WHERE}"
            " ORDER BY t.id",
            params,
        )
        events = self.all(
            "SELECT e.ticket_id, e.at, e.change FROM ticket_events e JOIN tickets t"
            f" ON t.id = e.ticket_id WHERE {_TICKETS_WHERE} AND e.change LIKE '%\"status\"%'"
            " ORDER BY e.id",
            params,
        )
        reached = self.all(
            "SELECT c.ticket_id, c.started_at FROM calls c JOIN tickets t ON t.id = c.ticket_id"
            f" WHERE c.reason = 'callback' AND c.reached = 1 AND {_TICKETS_WHERE}",
            params,
        )
        return {
            "agents": agents,
            "calls": calls,
            "state_log": log,
            "tickets": tickets,
            "events": events,
            "reached": reached,
        }
