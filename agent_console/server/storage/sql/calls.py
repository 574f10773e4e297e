"""Calls placed to agents, caller facts the card needs, unmasking and its audit trail."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import SqlCore
from agent_console.server.textkeys import digits_only

_CALL_COLUMNS = "id, agent_id, number, caller_id, source, started_at"
FOLLOWUP_COLUMNS = (
    "id, area, caller_id, category, priority, source, summary, notes, station_id, status, "
    "callback_due, satisfaction, satisfaction_comment, created_by, created_at, updated_at"
)


class CallsMixin(SqlCore):
    def record_call(self, agent_id: str, number: str, caller_id: int | None, source: str) -> Row:
        with self.write() as db:
            ident = self.insert(
                db,
                "INSERT INTO calls(agent_id, number, caller_id, source, started_at)"
                " VALUES (?,?,?,?,?)",
                (agent_id, number, caller_id, source, now_iso()),
            )
        row = self.one(f"SELECT {_CALL_COLUMNS} FROM calls WHERE id = ?", (ident,))
        assert row is not None
        return row

    def call_agent(self, call_id: int) -> str | None:
        """The agent a call was placed to (None: no such call)."""
        row = self.db.execute("SELECT agent_id FROM calls WHERE id = ?", (call_id,)).fetchone()
        return None if row is None else str(row[0])

    def caller_id_for_number(self, number: str) -> int | None:
        """The caller whose phone is exactly `number` (the first, if several share it)."""
        digits = digits_only(number)
        if not digits:
            return None
        row = self.db.execute(
            "SELECT id FROM callers WHERE phone_digits = ? ORDER BY id LIMIT 1", (digits,)
        ).fetchone()
        return int(row[0]) if row else None

    def caller_near(self, fraction: float) -> Row | None:
        """A caller picked by position (0 <= fraction < 1) without scanning the table:
        the demo's random caller."""
        top = self.db.execute("SELECT max(id) FROM callers").fetchone()[0]
        if not top:
            return None
        start = 1 + int(fraction * top)
        return self.one(
            "SELECT id, phone FROM callers WHERE id >= ? ORDER BY id LIMIT 1", (start,)
        ) or self.one("SELECT id, phone FROM callers ORDER BY id LIMIT 1")

    def unmask_caller(self, caller_id: int, agent_id: str, reason: str) -> Row | None:
        """The full phone and ID number, with an audit row in the same transaction:
        nobody sees them unrecorded."""
        with self.write() as db:
            row = db.execute(
                "SELECT id, phone, id_number FROM callers WHERE id = ?", (caller_id,)
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "INSERT INTO audit_log(at, agent_id, action, target, detail) VALUES (?,?,?,?,?)",
                (now_iso(), agent_id, "unmask", f"caller:{caller_id}", reason),
            )
        return {"id": row["id"], "phone": row["phone"], "id_number": row["id_number"]}

    def open_followups(self, caller_id: int, area: str, limit: int) -> list[Row]:
        """The caller's tickets that are not closed yet, the most pressing callback first."""
        return self.all(
            f"SELECT {FOLLOWUP_COLUMNS} FROM tickets WHERE area = ? AND caller_id = ? "
            "AND status <> 'closed' "
            "ORDER BY callback_due IS NULL, callback_due, created_at DESC LIMIT ?",
            (area, caller_id, limit),
        )

    def audit_entries(self, action: str | None, target: str | None, limit: int) -> list[Row]:
        sql = "SELECT id, at, agent_id, action, target, detail FROM audit_log"
        where: list[str] = []
        params: list[object] = []
        if action:
            where.append("action = ?")
            params.append(action)
        if target:
            where.append("target = ?")
            params.append(target)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.all(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
