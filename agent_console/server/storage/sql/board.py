"""The rows the wallboard is computed from (server/board.py does the counting): the
agents who take calls with their state, today's calls and the ones still going, who a
ringing call rings at, today's state changes, raised hands and overdue callbacks.

Every read can be narrowed to some agents (a board event carries only the changed
agents' rows). Times are ISO text in UTC, so "today" is a text range.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.call_life import CALL_ROLES
from agent_console.server.storage.sql.core import SqlCore
from agent_console.server.ticket_flow import OPEN_STATUSES

_CALL_COLUMNS = "id, agent_id, state, direction, started_at, answered_at, answered_by, ended_at"


def _among(column: str, ids: Sequence[str] | None) -> tuple[str, tuple[str, ...]]:
    """` AND column IN (...)` for some agents, or nothing for all of them."""
    if ids is None:
        return "", ()
    if not ids:
        return " AND 1 = 0", ()
    return f" AND {column} IN ({','.join('?' * len(ids))})", tuple(ids)


class BoardMixin(SqlCore):
    def board_agents(self, agent_ids: Sequence[str] | None = None) -> list[Row]:
        """Agents who take calls, with their seat state (None when never reported)."""
        where, params = _among("a.id", agent_ids)
        roles = ",".join("?" * len(CALL_ROLES))
        return self.all(
            "SELECT a.id AS agent_id, a.agent_no, a.name, a.hotline, a.team, s.state, "
            "s.reason, s.since FROM agents a LEFT JOIN agent_states s ON s.agent_id = a.id "
            f"WHERE a.role IN ({roles}){where} ORDER BY a.agent_no, a.id",
            (*CALL_ROLES, *params),
        )

    def board_calls(self, since: str) -> list[Row]:
        """Calls started since `since`, and every call still ringing or answered."""
        today = self.all(f"SELECT {_CALL_COLUMNS} FROM calls WHERE started_at >= ?", (since,))
        seen = {r["id"] for r in today}
        going = self.all(
            f"SELECT {_CALL_COLUMNS} FROM calls WHERE state IN ('ringing', 'answered')"
            " AND started_at < ?",
            (since,),
        )
        return today + [r for r in going if r["id"] not in seen]

    def board_rings(self) -> list[tuple[int, str]]:
        """(call id, agent id) of every call still ringing."""
        rows = self.db.execute(
            "SELECT r.call_id, r.agent_id FROM calls c JOIN call_rings r ON r.call_id = c.id "
            "WHERE c.state = 'ringing' ORDER BY r.call_id, r.agent_id"
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def board_state_log(self, since: str, agent_ids: Sequence[str] | None = None) -> list[Row]:
        """State changes since `since`, each agent's in the order they happened."""
        where, params = _among("agent_id", agent_ids)
        return self.all(
            "SELECT agent_id, state, at, call_id FROM agent_state_log "
            f"WHERE at >= ?{where} ORDER BY agent_id, id",
            (since, *params),
        )

    def board_signed_in(self, now: str, agent_ids: Sequence[str] | None = None) -> set[str]:
        """Agents with a session that has neither ended nor expired."""
        where, params = _among("agent_id", agent_ids)
        rows = self.db.execute(
            "SELECT DISTINCT agent_id FROM sessions WHERE revoked_at IS NULL AND expires_at > ?"
            + where,
            (now, *params),
        ).fetchall()
        return {str(r[0]) for r in rows}

    def board_hands(self) -> list[Row]:
        """Hands raised and not yet taken, the oldest first."""
        return self.all(
            "SELECT h.id, h.trainee_id AS agent_id, a.agent_no, a.name, a.hotline, "
            "h.raised_at AS since, h.note AS text FROM practice_hands h "
            "JOIN agents a ON a.id = h.trainee_id WHERE h.status = 'raised' ORDER BY h.id"
        )

    def board_overdue(self, now: str, agent_ids: Sequence[str] | None = None) -> list[Row]:
        """Production tickets whose callback is due before `now` and not yet made:
        who owes it (created_by), the station, when it was due."""
        where, params = _among("created_by", agent_ids)
        marks = ",".join("?" * len(OPEN_STATUSES))
        return self.all(
            "SELECT created_by, station_id, callback_due FROM tickets "
            f"WHERE area = 'production' AND status IN ({marks}) "
            f"AND callback_due IS NOT NULL AND callback_due < ?{where}",
            (*OPEN_STATUSES, now, *params),
        )
