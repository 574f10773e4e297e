"""Agents and sessions on PostgreSQL: the one statement SQLite writes with its own
two-argument max()."""

from __future__ import annotations

from agent_console.server.storage.postgres.core import PostgresCore


class PgPeopleMixin(PostgresCore):
    def login_failures_since(self, agent_id: str, since: str) -> list[str]:
        """When sign-ins as `agent_id` failed after `since` and after its last success."""
        rows = self.db.execute(
            "SELECT at FROM audit_log WHERE target = ? AND at > greatest(?, coalesce(("
            "SELECT max(at) FROM audit_log WHERE target = ? AND action = 'login'), '')) "
            "AND action = 'login_failed' ORDER BY at DESC LIMIT 50",
            (agent_id, since, agent_id),
        ).fetchall()
        return [r[0] for r in rows]
