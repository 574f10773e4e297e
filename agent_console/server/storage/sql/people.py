"""Agents, sessions and the audit log."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Conflict, Row
from agent_console.server.storage.sql.core import SqlCore

_AGENT_COLUMNS = "id, name, role, agent_no, hotline, language, station, team"


class PeopleMixin(SqlCore):
    def get_agent(self, agent_id: str) -> Row | None:
        return self.one(f"SELECT {_AGENT_COLUMNS} FROM agents WHERE id = ?", (agent_id,))

    def station_accounts(self) -> list[Row]:
        """Field-station staff with a station, by id (the simulated station acts as them)."""
        return self.all(
            f"SELECT {_AGENT_COLUMNS} FROM agents WHERE role = 'station' AND station <> '' "
            "ORDER BY id"
        )

    def set_agent_role(self, agent_id: str, role: str, changed_by: str) -> Row | None:
        """Change a role and write who did it to the audit log, in one transaction.

        Conflict for the last supervisor's demotion: nobody could change roles after it.
        (Writers take turns on both engines, so the count cannot go stale meanwhile.)"""
        with self.write() as db:
            row = db.execute("SELECT role FROM agents WHERE id = ?", (agent_id,)).fetchone()
            if row is None:
                return None
            if row[0] == "supervisor" and role != "supervisor":
                others = db.execute(
                    "SELECT count(*) FROM agents WHERE role = 'supervisor' AND id <> ?",
                    (agent_id,),
                ).fetchone()[0]
                if not others:
                    raise Conflict(
                        f"{agent_id} is the last supervisor; make someone else a supervisor"
                        " first, or nobody could change roles any more"
                    )
            if row[0] != role:
                db.execute("UPDATE agents SET role = ? WHERE id = ?", (role, agent_id))
                db.execute(
                    "INSERT INTO audit_log(at, agent_id, action, target, detail) "
                    "VALUES (?,?,?,?,?)",
                    (now_iso(), changed_by, "role_change", agent_id, f"{row[0]} -> {role}"),
                )
        return self.get_agent(agent_id)

    def agent_password_hash(self, agent_id: str) -> str | None:
        row = self.db.execute(
            "SELECT password_hash FROM agents WHERE id = ?", (agent_id,)
        ).fetchone()
        return row[0] if row else None

    def create_session(self, token_hash: str, agent_id: str, expires_at: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO sessions(token_hash, agent_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, agent_id, now_iso(), expires_at),
            )

    def session_agent(self, token_hash: str, now: str) -> Row | None:
        return self.one(
            f"SELECT {', '.join('a.' + c.strip() for c in _AGENT_COLUMNS.split(','))}, "
            "s.expires_at FROM sessions s JOIN agents a ON a.id = s.agent_id "
            "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?",
            (token_hash, now),
        )

    def revoke_session(self, token_hash: str, now: str) -> None:
        with self.write() as db:
            db.execute(
                "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                (now, token_hash),
            )

    def audit(self, agent_id: str | None, action: str, target: str, detail: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO audit_log(at, agent_id, action, target, detail) VALUES (?,?,?,?,?)",
                (now_iso(), agent_id, action, target, detail),
            )

    def audit_rows(self, rows: list[tuple[str, str | None, str, str, str]]) -> None:
        """Several audit rows (at, agent_id, action, target, detail) in one transaction."""
        with self.write() as db:
            db.executemany(
                "INSERT INTO audit_log(at, agent_id, action, target, detail) VALUES (?,?,?,?,?)",
                rows,
            )

    def list_audit(self, limit: int) -> list[Row]:
        return self.all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
