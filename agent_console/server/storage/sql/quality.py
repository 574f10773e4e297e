"""What the quality figures read: a date range of answered calls, state changes and
production tickets with their status changes (quality/figures.py computes from them)."""

from __future__ import annotations

import json
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

    # -- demo history (issue 16: figures that are not empty in the demo) --------------
    def has_audit(self, action: str) -> bool:
        row = self.one("SELECT 1 AS x FROM audit_log WHERE action = ? LIMIT 1", (action,))
        return row is not None

    def first_caller_ids(self, limit: int) -> list[int]:
        rows = self.all("SELECT id FROM callers ORDER BY id LIMIT ?", (limit,))
        return [int(r["id"]) for r in rows]

    def add_history(self, history: Row, marker: str, at: str) -> int:
        """Write past production tickets (with their status moves), answered calls and
        state changes as given (`history`: tickets, calls, state_log), and an audit row
        `marker` so it is written once; the number of tickets."""
        with self.write() as db:
            for t in history["tickets"]:
                ticket_id = self.insert(
                    db,
                    "INSERT INTO tickets(area, caller_id, category, summary, status,"
                    " callback_due, satisfaction, satisfaction_comment, created_by,"
                    " created_at, updated_at) VALUES ('production',?,?,?,?,?,?,?,?,?,?)",
                    (
                        t["caller_id"],
                        t["category"],
                        t["summary"],
                        t["status"],
                        t["callback_due"],
                        t["satisfaction"],
                        t["satisfaction_comment"],
                        t["agent_id"],
                        t["created_at"],
                        t["updated_at"],
                    ),
                )
                for move_at, change in t["moves"]:
                    db.execute(
                        "INSERT INTO ticket_events(ticket_id, at, agent_id, change)"
                        " VALUES (?,?,?,?)",
                        (ticket_id, move_at, t["agent_id"], json.dumps(change)),
                    )
            for c in history["calls"]:
                db.execute(
                    "INSERT INTO calls(agent_id, number, caller_id, started_at, direction,"
                    " state, answered_by, answered_at, ended_at, hotline)"
                    " VALUES (?,?,?,?,'in','ended',?,?,?,?)",
                    (
                        c["agent_id"],
                        c["number"],
                        c["caller_id"],
                        c["answered_at"],
                        c["agent_id"],
                        c["answered_at"],
                        c["ended_at"],
                        c["hotline"],
                    ),
                )
            db.executemany(
                "INSERT INTO agent_state_log(agent_id, state, at) VALUES (?,?,?)",
                [(s["agent_id"], s["state"], s["at"]) for s in history["state_log"]],
            )
            db.execute(
                "INSERT INTO audit_log(at, agent_id, action, target, detail) VALUES (?,?,?,?,?)",
                (at, None, marker, "", f"{len(history['tickets'])} tickets"),
            )
        return len(history["tickets"])
