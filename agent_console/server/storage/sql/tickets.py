"""Tickets: creation exactly once per Idempotency-Key, the closed loop, the audit trail."""

from __future__ import annotations

import json

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import (
    IdempotencyMismatch,
    Invalid,
    InvalidTransition,
    NotFound,
    Row,
)
from agent_console.server.storage.sql.core import SqlCore
from agent_console.server.ticket_flow import OPEN_STATUSES, closing_problems, transition_error

TICKET_COLUMNS = (
    "id, area, caller_id, category, priority, source, summary, notes, station_id, status, "
    "callback_due, satisfaction, satisfaction_comment, created_by, created_at, updated_at"
)


class TicketsMixin(SqlCore):
    def create_ticket(
        self, data: Row, agent_id: str, idem_key: str, request_hash: str
    ) -> tuple[Row, bool]:
        """Create the ticket, or return the one this key already made (replayed=True).

        The idempotency record and the ticket commit in one transaction, so a client
        that lost the reply after the commit gets the same ticket back on retry.
        """
        with self.write() as db:
            prior = db.execute(
                "SELECT request_hash, ticket_id FROM idempotency WHERE agent_id = ? AND key = ?",
                (agent_id, idem_key),
            ).fetchone()
            if prior is not None:
                if prior["request_hash"] != request_hash:
                    raise IdempotencyMismatch(
                        "this Idempotency-Key was already used for a different ticket"
                    )
                ticket = self._ticket(prior["ticket_id"])
                assert ticket is not None
                return ticket, True
            self._check_refs(data)
            now = now_iso()
            # A ticket with a field station is dispatched the moment it is saved.
            status = "dispatched" if data.get("station_id") else "new"
            ticket_id = self.insert(
                db,
                "INSERT INTO tickets(area, caller_id, category, priority, source, summary, notes,"
                " station_id, status, callback_due, created_by, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    data.get("area", "production"),
                    data.get("caller_id"),
                    data["category"],
                    data.get("priority", "normal"),
                    data.get("source", "hotline"),
                    data["summary"],
                    data.get("notes", ""),
                    data.get("station_id", ""),
                    status,
                    data.get("callback_due"),
                    agent_id,
                    now,
                    now,
                ),
            )
            db.execute(
                "INSERT INTO idempotency(agent_id, key, request_hash, ticket_id, created_at)"
                " VALUES (?,?,?,?,?)",
                (agent_id, idem_key, request_hash, ticket_id, now),
            )
            self._event(ticket_id, agent_id, {"status": [None, "new"]})
            if status == "dispatched":
                self._event(
                    ticket_id,
                    agent_id,
                    {"status": ["new", "dispatched"], "station_id": ["", data["station_id"]]},
                )
            ticket = self._ticket(ticket_id)
        assert ticket is not None
        return ticket, False

    def _check_refs(self, data: Row) -> None:
        db = self.db
        if not db.execute(
            "SELECT 1 FROM ticket_categories WHERE id = ?", (data["category"],)
        ).fetchone():
            raise Invalid("category", f"unknown ticket category {data['category']!r}")
        caller_id = data.get("caller_id")
        if (
            caller_id is not None
            and not db.execute("SELECT 1 FROM callers WHERE id = ?", (caller_id,)).fetchone()
        ):
            raise Invalid("caller_id", f"no caller with id {caller_id}")
        station = data.get("station_id")
        if (
            station
            and not db.execute("SELECT 1 FROM stations WHERE code = ?", (station,)).fetchone()
        ):
            raise Invalid("station_id", f"unknown field station {station!r}")

    def _ticket(self, ticket_id: int, area: str | None = None) -> Row | None:
        if area is None:
            return self.one(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,))
        return self.one(
            f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ? AND area = ?", (ticket_id, area)
        )

    def _event(self, ticket_id: int, agent_id: str, change: Row) -> None:
        self.db.execute(
            "INSERT INTO ticket_events(ticket_id, at, agent_id, change) VALUES (?,?,?,?)",
            (ticket_id, now_iso(), agent_id, json.dumps(change, ensure_ascii=False)),
        )

    def get_ticket(self, ticket_id: int, area: str) -> Row | None:
        ticket = self._ticket(ticket_id, area)
        if ticket is None:
            return None
        ticket["history"] = [
            {**e, "change": json.loads(e["change"])}
            for e in self.all(
                "SELECT at, agent_id, change FROM ticket_events WHERE ticket_id = ? ORDER BY id",
                (ticket_id,),
            )
        ]
        return ticket

    def list_tickets(
        self, caller_id: int | None, status: str | None, area: str, limit: int
    ) -> list[Row]:
        sql = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE area = ?"
        params: list[object] = [area]
        if caller_id is not None:
            sql += " AND caller_id = ?"
            params.append(caller_id)
        if status:
            sql += " AND status = ?"
            params.append(status)
        sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
        params.append(limit)
        return self.all(sql, tuple(params))

    def find_ticket(self, ticket_id: int) -> Row | None:
        """The ticket in whichever area it is (who may change it is the caller's check)."""
        return self._ticket(ticket_id)

    def update_ticket(
        self, ticket_id: int, changes: Row, agent_id: str, area: str, reopen: bool = False
    ) -> Row:
        """Apply `changes`; a closed ticket only moves back into progress with `reopen`
        (a supervisor's, decided by the caller), which the audit log records."""
        with self.write() as db:
            ticket = self._ticket(ticket_id, area)
            if ticket is None:
                raise NotFound(f"no ticket {ticket_id}")
            closed = ticket["status"] == "closed"
            if closed and not (reopen and changes.get("status") == "in_progress"):
                raise InvalidTransition(f"ticket {ticket_id} is closed; a supervisor may reopen it")
            diff: Row = {}
            target = changes.get("status")
            if closed:
                db.execute(
                    "INSERT INTO audit_log(at, agent_id, action, target, detail)"
                    " VALUES (?,?,?,?,?)",
                    (
                        now_iso(),
                        agent_id,
                        "ticket_reopen",
                        f"ticket:{ticket_id}",
                        changes.get("note") or "",
                    ),
                )
            elif target is not None:
                why = transition_error(ticket["status"], target)
                if why:
                    raise InvalidTransition(why)
                if target == "closed" and target != ticket["status"]:
                    for field, message in closing_problems(ticket, changes).items():
                        raise Invalid(field, message)
                    if (
                        not changes.get("satisfaction_comment")
                        and not ticket["satisfaction_comment"]
                    ):
                        changes = {**changes, "satisfaction_comment": changes.get("note", "")}
                if (
                    target == "dispatched"
                    and ticket["status"] != "dispatched"
                    and not changes.get("station_id", ticket["station_id"])
                ):
                    raise Invalid("station_id", "choose the field station to dispatch to")
            sets: list[str] = []
            params: list[object] = []
            for field in (
                "status",
                "priority",
                "station_id",
                "callback_due",
                "satisfaction",
                "satisfaction_comment",
                "category",
            ):
                if field in changes and changes[field] != ticket[field]:
                    sets.append(f"{field} = ?")
                    params.append(changes[field])
                    diff[field] = [ticket[field], changes[field]]
            if changes.get("category") or changes.get("station_id"):
                self._check_refs(
                    {"category": changes.get("category") or ticket["category"], **changes}
                )
            note = (changes.get("note") or "").strip()
            if note:
                line = f"[{now_iso()} {agent_id}] {note}"
                notes = f"{ticket['notes']}\n{line}" if ticket["notes"] else line
                sets.append("notes = ?")
                params.append(notes)
                diff["note"] = note
            if sets:
                sets.append("updated_at = ?")
                params.append(now_iso())
                db.execute(
                    f"UPDATE tickets SET {', '.join(sets)} WHERE id = ?", (*params, ticket_id)
                )
                self._event(ticket_id, agent_id, diff)
        updated = self.get_ticket(ticket_id, area)
        assert updated is not None
        return updated

    # -- issue 5: follow-ups, a station's queue, repeat callers --------------------
    def followups(self, agent_id: str, area: str, limit: int) -> list[Row]:
        """Tickets this agent created that still owe a callback, the earliest due first."""
        marks = ",".join("?" * len(OPEN_STATUSES))
        return self.all(
            f"SELECT {TICKET_COLUMNS} FROM tickets WHERE area = ? AND created_by = ? "
            f"AND status IN ({marks}) AND callback_due IS NOT NULL "
            "ORDER BY callback_due, id LIMIT ?",
            (area, agent_id, *OPEN_STATUSES, limit),
        )

    def station_tickets(self, station: str, status: str | None, limit: int) -> list[Row]:
        """Production tickets dispatched to a field station, the oldest first."""
        sql = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE area = 'production' AND station_id = ?"
        params: list[object] = [station]
        if status:
            sql += " AND status = ?"
            params.append(status)
        return self.all(sql + " ORDER BY created_at, id LIMIT ?", (*params, limit))

    def caller_ticket_count(self, caller_id: int, area: str, since: str) -> int:
        """How many tickets the caller had since `since` (repeat callers get extra care)."""
        row = self.db.execute(
            "SELECT count(*) FROM tickets WHERE area = ? AND caller_id = ? AND created_at >= ?",
            (area, caller_id, since),
        ).fetchone()
        return int(row[0])
