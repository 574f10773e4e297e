"""SMS sent to callers during a call ("短信协同"): recorded with what was sent and why."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Invalid, Row
from agent_console.server.storage.sql.core import SqlCore
from agent_console.text import mask_phone

_COLUMNS = "id, area, caller_id, to_number, body, kind, ref, status, agent_id, created_at"


def _public(row: Row) -> Row:
    out = dict(row)
    out["to"] = mask_phone(out.pop("to_number"))
    return out


class MessagesMixin(SqlCore):
    def send_sms(self, data: Row, agent_id: str, area: str) -> Row:
        """Record an SMS; the reference backend has no gateway, so it is 'sent' at once."""
        to = data.get("to") or ""
        caller_id = data.get("caller_id")
        if caller_id is not None:
            row = self.one("SELECT phone FROM callers WHERE id = ?", (caller_id,))
            if row is None:
                raise Invalid("caller_id", f"no caller with id {caller_id}")
            to = to or row["phone"]
        if not to:
            raise Invalid("to", "say whom to send it to: a caller or a number")
        with self.write() as db:
            ident = self.insert(
                db,
                "INSERT INTO sms(area, caller_id, to_number, body, kind, ref, status, agent_id,"
                " created_at) VALUES (?,?,?,?,?,?,'sent',?,?)",
                (
                    area,
                    caller_id,
                    to,
                    data["text"],
                    data["kind"],
                    data.get("ref", ""),
                    agent_id,
                    now_iso(),
                ),
            )
        row = self.one(f"SELECT {_COLUMNS} FROM sms WHERE id = ?", (ident,))
        assert row is not None
        return _public(row)

    def list_sms(self, caller_id: int | None, area: str, limit: int) -> list[Row]:
        sql = f"SELECT {_COLUMNS} FROM sms WHERE area = ?"
        params: list[object] = [area]
        if caller_id is not None:
            sql += " AND caller_id = ?"
            params.append(caller_id)
        rows = self.all(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [_public(r) for r in rows]
