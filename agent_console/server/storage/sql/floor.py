"""A supervisor's hand on a seat (issue 16): the agent's state set from the floor, a seat
signed out, one-line floor messages, a ticket handed to another agent or station.

Every change and its audit_log row are written in one transaction, so the log never
misses a change nor records one that did not happen.
"""

from __future__ import annotations

import json

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Conflict, Invalid, NotFound, Row
from agent_console.server.storage.sql.agent_states import AgentStatesMixin
from agent_console.server.storage.sql.core import Database

#: States in which a supervisor's change waits: the agent is with a caller.
BUSY_STATES = ("on_call", "acw")

_MESSAGE_SELECT = (
    "SELECT m.id, m.agent_id, m.text, m.sent_at, m.read_at, f.agent_no AS from_agent_no,"
    " f.name AS from_name FROM floor_messages m JOIN agents f ON f.id = m.from_id"
)


class SeatBusy(Conflict):
    """The agent is on a call or wrapping one up: a forced change would cut into it."""


def _audit(db: Database, by: str, action: str, target: str, detail: str) -> None:
    db.execute(
        "INSERT INTO audit_log(at, agent_id, action, target, detail) VALUES (?,?,?,?,?)",
        (now_iso(), by, action, target, detail),
    )


class FloorMixin(AgentStatesMixin):
    # -- the agent's state and sessions ----------------------------------------------
    def _known(self, agent_id: str) -> None:
        if self.one("SELECT id FROM agents WHERE id = ?", (agent_id,)) is None:
            raise NotFound(f"no agent {agent_id}")

    def _seat_free(self, db: Database, agent_id: str) -> None:
        row = db.execute("SELECT state FROM agent_states WHERE agent_id = ?", (agent_id,))
        current = row.fetchone()
        if current is not None and current[0] in BUSY_STATES:
            raise SeatBusy(f"agent {agent_id} is {current[0]}; try again after the call")

    def force_agent_state(self, agent_id: str, state: str, reason: str, by: str) -> Row:
        """Set `agent_id` ready or not ready for them (SeatBusy during a call)."""
        self._known(agent_id)
        with self.write() as db:
            self._seat_free(db, agent_id)
            self.write_agent_state(db, agent_id, {"state": state, "reason": reason})
            _audit(db, by, "seat_state", f"agent:{agent_id}", f"{state} {reason}".strip())
        row = self.agent_state(agent_id)
        assert row is not None
        return row

    def sign_out_agent(self, agent_id: str, reason: str, by: str) -> Row:
        """End every session of the agent (their streams end at the next check) and
        mark them offline (SeatBusy during a call)."""
        self._known(agent_id)
        now = now_iso()
        with self.write() as db:
            self._seat_free(db, agent_id)
            ended = db.execute(
                "UPDATE sessions SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL"
                " AND expires_at > ?",
                (now, agent_id, now),
            ).rowcount
            # No state row is "offline" (agent_states' CHECK knows only the seat's states);
            # the log keeps when the seat went.
            db.execute("DELETE FROM agent_states WHERE agent_id = ?", (agent_id,))
            db.execute(
                "INSERT INTO agent_state_log(agent_id, state, reason, at) VALUES (?,?,?,?)",
                (agent_id, "offline", "signed out", now),
            )
            _audit(db, by, "seat_sign_out", f"agent:{agent_id}", f"{ended} sessions; {reason}")
        row = self.agent_state(agent_id)
        assert row is not None
        return row

    # -- floor messages ------------------------------------------------------------------
    def send_floor_message(self, agent_id: str, text: str, by: str) -> Row:
        self._known(agent_id)
        with self.write() as db:
            message_id = self.insert(
                db,
                "INSERT INTO floor_messages(agent_id, from_id, text, sent_at) VALUES (?,?,?,?)",
                (agent_id, by, text, now_iso()),
            )
            _audit(db, by, "floor_message", f"agent:{agent_id}", f"message {message_id}")
        row = self.floor_message(message_id)
        assert row is not None
        return row

    def floor_message(self, message_id: int) -> Row | None:
        return self.one(_MESSAGE_SELECT + " WHERE m.id = ?", (message_id,))

    def unread_floor_messages(self, agent_id: str, limit: int = 50) -> list[Row]:
        """The agent's unread messages, the oldest first."""
        return self.all(
            _MESSAGE_SELECT + " WHERE m.agent_id = ? AND m.read_at IS NULL ORDER BY m.id LIMIT ?",
            (agent_id, limit),
        )

    def read_floor_message(self, message_id: int, agent_id: str) -> Row:
        """Mark the agent's own message read (reading it twice keeps the first time);
        NotFound for a message that is not theirs."""
        with self.write() as db:
            found = db.execute(
                "SELECT read_at FROM floor_messages WHERE id = ? AND agent_id = ?",
                (message_id, agent_id),
            ).fetchone()
            if found is None:
                raise NotFound(f"no message {message_id} for you")
            if found[0] is None:
                db.execute(
                    "UPDATE floor_messages SET read_at = ? WHERE id = ?", (now_iso(), message_id)
                )
                _audit(db, agent_id, "floor_message_read", f"message:{message_id}", "")
        row = self.floor_message(message_id)
        assert row is not None
        return row

    # -- tickets ---------------------------------------------------------------------------
    def reassign_ticket(
        self, ticket_id: int, agent_id: str | None, station: str | None, reason: str, by: str
    ) -> None:
        """Give a production ticket to another agent (its owner, who calls back) or
        dispatch it to another field station; the ticket's history and the audit log
        say who moved it from whom."""
        with self.write() as db:
            ticket = db.execute(
                "SELECT created_by, station_id, status, area FROM tickets WHERE id = ?",
                (ticket_id,),
            ).fetchone()
            if ticket is None or ticket["area"] != "production":
                raise NotFound(f"no ticket {ticket_id}")
            if ticket["status"] == "closed":
                raise Conflict(f"ticket {ticket_id} is closed")
            if agent_id is not None:
                owner = db.execute("SELECT role FROM agents WHERE id = ?", (agent_id,)).fetchone()
                if owner is None or owner[0] not in ("agent", "mentor", "supervisor"):
                    raise Invalid("agent_id", f"no agent {agent_id} who takes tickets")
                field, old, new = "created_by", ticket["created_by"], agent_id
            else:
                known = db.execute("SELECT 1 FROM stations WHERE code = ?", (station,)).fetchone()
                if known is None:
                    raise Invalid("station", f"unknown field station {station!r}")
                field, old, new = "station_id", ticket["station_id"], str(station)
            now = now_iso()
            db.execute(
                f"UPDATE tickets SET {field} = ?, updated_at = ? WHERE id = ?",
                (new, now, ticket_id),
            )
            change = {"reassigned": {"field": field, "from": old, "to": new}, "note": reason}
            db.execute(
                "INSERT INTO ticket_events(ticket_id, at, agent_id, change) VALUES (?,?,?,?)",
                (ticket_id, now, by, json.dumps(change, ensure_ascii=False)),
            )
            _audit(
                db,
                by,
                "ticket_reassign",
                f"ticket:{ticket_id}",
                f"{field} {old} -> {new}; {reason}",
            )
