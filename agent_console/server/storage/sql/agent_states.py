"""Agent state (ready, not ready with a reason, after-call work, on a call) and its log."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import Database, SqlCore

_STATE_SELECT = (
    "SELECT a.id AS agent_id, a.name, a.agent_no, a.role, a.hotline, "
    "coalesce(s.state, 'offline') AS state, coalesce(s.reason, '') AS reason, "
    "s.since, s.call_id FROM agents a LEFT JOIN agent_states s ON s.agent_id = a.id"
)


class AgentStatesMixin(SqlCore):
    def set_agent_state(self, agent_id: str, data: Row) -> Row:
        """Record the new state (the clock restarts only when state or reason changes)
        and, when a call is wrapped up, its code on the call."""
        with self.write() as db:
            self.write_agent_state(db, agent_id, data)
        row = self.one(_STATE_SELECT + " WHERE a.id = ?", (agent_id,))
        assert row is not None
        return row

    def write_agent_state(self, db: Database, agent_id: str, data: Row) -> None:
        """set_agent_state's writes, inside the caller's write transaction (a
        supervisor's forced change checks the current state in the same one)."""
        now = now_iso()
        prior = db.execute(
            "SELECT state, reason, since FROM agent_states WHERE agent_id = ?", (agent_id,)
        ).fetchone()
        same = prior is not None and (prior["state"], prior["reason"]) == (
            data["state"],
            data.get("reason", ""),
        )
        since = prior["since"] if prior is not None and same else now
        db.execute(
            "INSERT INTO agent_states(agent_id, state, reason, since, call_id)"
            " VALUES (?,?,?,?,?) ON CONFLICT(agent_id) DO UPDATE SET state = excluded.state,"
            " reason = excluded.reason, since = excluded.since, call_id = excluded.call_id",
            (agent_id, data["state"], data.get("reason", ""), since, data.get("call_id")),
        )
        db.execute(
            "INSERT INTO agent_state_log(agent_id, state, reason, at, call_id, wrap_up)"
            " VALUES (?,?,?,?,?,?)",
            (
                agent_id,
                data["state"],
                data.get("reason", ""),
                now,
                data.get("call_id"),
                data.get("wrap_up", ""),
            ),
        )
        if data.get("wrap_up") and data.get("call_id") is not None:
            db.execute(
                # Wrapped up is over, whether or not a phone system said so.
                "UPDATE calls SET wrap_up = ?, ended_at = coalesce(ended_at, ?),"
                " state = CASE WHEN state IN ('ringing', 'answered') THEN 'ended'"
                " ELSE state END WHERE id = ? AND agent_id = ?",
                (data["wrap_up"], now, data["call_id"], agent_id),
            )

    def agent_state(self, agent_id: str) -> Row | None:
        """One agent's state row (as agent_states), or None for no such agent."""
        return self.one(_STATE_SELECT + " WHERE a.id = ?", (agent_id,))

    def agent_states(self, hotline: str | None = None) -> list[Row]:
        """Every agent at a seat (not field-station staff) with their current state."""
        sql = _STATE_SELECT + " WHERE a.role IN ('agent', 'trainee', 'mentor', 'supervisor')"
        params: tuple[object, ...] = ()
        if hotline:
            sql += " AND a.hotline = ?"
            params = (hotline,)
        return self.all(sql + " ORDER BY a.id", params)

    def agent_state_log(self, agent_id: str, limit: int) -> list[Row]:
        return self.all(
            "SELECT state, reason, at, call_id, wrap_up FROM agent_state_log"
            " WHERE agent_id = ? ORDER BY id DESC LIMIT ?",
            (agent_id, limit),
        )
