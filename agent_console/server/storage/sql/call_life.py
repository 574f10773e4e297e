"""A call's life as the phone system reports it: rung at agents, answered by one, ended
(or missed); and the outbound calls an agent makes to call a caller back.

Every change is one write transaction that reads the call's state first, so the same
event twice (a PBX retrying) changes nothing the second time, on either engine.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import SqlCore

CALL_COLUMNS = (
    "id, agent_id, number, caller_id, source, started_at, call_ref, direction, queue, "
    "state, answered_by, answered_at, ended_at, cause, hotline, reason, reached, ticket_id, "
    "wrap_up"
)
#: Who takes calls (trainees practise, stations work tickets: neither is rung).
CALL_ROLES = ("agent", "mentor", "supervisor")
_AGENT_COLUMNS = "id, name, role, agent_no, hotline, extension"


class CallLifeMixin(SqlCore):
    # -- agents as a PBX names them -------------------------------------------------
    def find_agent(self, key: str) -> Row | None:
        """The agent a PBX means by `key`: its id or agent number first, then its
        extension, then its display name (the first by id if several share one)."""
        if not key:
            return None
        return self.one(
            f"SELECT {_AGENT_COLUMNS}, CASE WHEN id = ? OR agent_no = ? THEN 0 "
            "WHEN extension = ? THEN 1 ELSE 2 END AS how FROM agents "
            "WHERE id = ? OR agent_no = ? OR extension = ? OR name = ? ORDER BY how, id LIMIT 1",
            (key, key, key, key, key, key, key),
        )

    def set_agent_extension(self, agent_id: str, extension: str) -> None:
        with self.write() as db:
            db.execute("UPDATE agents SET extension = ? WHERE id = ?", (extension, agent_id))

    def agent_team(self, agent_id: str) -> str:
        row = self.db.execute("SELECT team FROM agents WHERE id = ?", (agent_id,)).fetchone()
        return "" if row is None else str(row[0])

    def set_agent_team(self, agent_id: str, team: str) -> None:
        with self.write() as db:
            db.execute("UPDATE agents SET team = ? WHERE id = ?", (team, agent_id))

    def caller_name(self, caller_id: int) -> str | None:
        row = self.db.execute("SELECT name FROM callers WHERE id = ?", (caller_id,)).fetchone()
        return None if row is None else str(row[0])

    # -- one call --------------------------------------------------------------------
    def get_call(self, call_id: int) -> Row | None:
        return self.one(f"SELECT {CALL_COLUMNS} FROM calls WHERE id = ?", (call_id,))

    def call_by_ref(self, call_ref: str) -> Row | None:
        if not call_ref:
            return None
        return self.one(f"SELECT {CALL_COLUMNS} FROM calls WHERE call_ref = ?", (call_ref,))

    def call_rings(self, call_id: int) -> list[str]:
        """The agents the call rang at, by id."""
        rows = self.db.execute(
            "SELECT agent_id FROM call_rings WHERE call_id = ? ORDER BY agent_id", (call_id,)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def open_call(self, data: Row, agent_ids: Sequence[str]) -> tuple[Row, bool]:
        """A new ringing call at `agent_ids`; (the call, True). A call with this
        `call_ref` already there is returned as it is: (that call, False)."""
        ref = data.get("call_ref", "")
        with self.write() as db:
            old = ref and db.execute("SELECT id FROM calls WHERE call_ref = ?", (ref,)).fetchone()
            if old:
                ident, created = int(old[0]), False
            else:
                ident = self.insert(
                    db,
                    "INSERT INTO calls(agent_id, number, caller_id, source, started_at, "
                    "call_ref, direction, queue, state, hotline) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        agent_ids[0] if agent_ids else "",
                        data["number"],
                        data.get("caller_id"),
                        data.get("source", "cti"),
                        data.get("started_at") or now_iso(),
                        ref,
                        data.get("direction", "in"),
                        data.get("queue", ""),
                        "ringing",
                        data.get("hotline", ""),
                    ),
                )
                created = True
                for agent_id in dict.fromkeys(agent_ids):
                    db.execute(
                        "INSERT INTO call_rings(call_id, agent_id) VALUES (?,?)", (ident, agent_id)
                    )
        call = self.get_call(ident)
        assert call is not None
        return call, created

    def answer_call(self, call_id: int, agent_id: str, at: str) -> tuple[str, Row | None]:
        """`agent_id` takes the call. Outcome: 'answered' (now theirs), 'same' (it was
        already), 'taken' (someone else has it), 'over' (it ended), 'none' (no call)."""
        with self.write() as db:
            row = db.execute(
                "SELECT state, answered_by FROM calls WHERE id = ?", (call_id,)
            ).fetchone()
            if row is None:
                outcome = "none"
            elif row["state"] == "ringing":
                # "": the PBX did not say who; the call is answered all the same.
                db.execute(
                    "UPDATE calls SET state = 'answered', answered_by = ?, answered_at = ?,"
                    " agent_id = CASE WHEN ? = '' THEN agent_id ELSE ? END WHERE id = ?",
                    (agent_id, at, agent_id, agent_id, call_id),
                )
                if agent_id:
                    db.execute(
                        "INSERT INTO call_rings(call_id, agent_id) VALUES (?,?) "
                        "ON CONFLICT (call_id, agent_id) DO NOTHING",
                        (call_id, agent_id),
                    )
                outcome = "answered"
            elif row["state"] == "answered":
                outcome = "same" if row["answered_by"] == agent_id else "taken"
            else:
                outcome = "over"
        return outcome, self.get_call(call_id)

    def end_call(
        self, call_id: int, cause: str, at: str, *, ringing_since: str | None = None
    ) -> tuple[bool, Row | None]:
        """Hang the call up: an answered call ends, a ringing one is missed (inbound)
        or not reached (outbound). (True, call) if this changed it; (False, call) if it
        had already ended; (False, None) if there is no such call.

        `ringing_since` (the ring time-out): end it only if it is still ringing and
        started at or before that instant. One conditional UPDATE decides, so of the
        workers that try at once exactly one ends the call (and tells its agents)."""
        only = " AND state = 'ringing' AND started_at <= ?" if ringing_since else ""
        with self.write() as db:
            cur = db.execute(
                "UPDATE calls SET state = CASE WHEN state = 'ringing' AND direction = 'in' "
                "THEN 'missed' ELSE 'ended' END, ended_at = ?, cause = ? "
                f"WHERE id = ? AND state IN ('ringing', 'answered'){only}",
                (at, cause, call_id, *([ringing_since] if ringing_since else [])),
            )
            changed = cur.rowcount == 1
        return changed, self.get_call(call_id)

    def ringing_between(self, since: str, until: str, limit: int = 200) -> list[int]:
        """Calls still ringing that started in [since, until], oldest first (the ring
        time-out's candidates; read through the started_at index, so a window of the
        last minutes costs little however many calls the table holds)."""
        rows = self.db.execute(
            "SELECT id FROM calls WHERE started_at >= ? AND started_at <= ? "
            "AND state = 'ringing' ORDER BY started_at, id LIMIT ?",
            (since, until, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def active_call_for(self, agent_id: str) -> Row | None:
        """A call ringing at the agent or answered by them and not yet over."""
        return self.one(
            f"SELECT {', '.join('c.' + c.strip() for c in CALL_COLUMNS.split(','))} "
            "FROM call_rings r JOIN calls c ON c.id = r.call_id WHERE r.agent_id = ? AND "
            "(c.state = 'ringing' OR (c.state = 'answered' AND c.answered_by = ?)) "
            "ORDER BY c.id DESC LIMIT 1",
            (agent_id, agent_id),
        )

    # -- the caller log ----------------------------------------------------------------
    def missed_calls(self, hotline: str, limit: int) -> list[Row]:
        """Inbound calls of the hotline that ended before anyone answered, newest first,
        with the agents they rang at and whether anyone called the number back since."""
        rows = self.all(
            "SELECT c.id AS call_id, c.number, c.caller_id, k.name AS caller_name, "
            "c.started_at AS at, c.ended_at, c.cause, c.queue, c.call_ref, "
            "EXISTS (SELECT 1 FROM calls o WHERE o.number = c.number AND "
            "o.direction = 'out' AND o.started_at >= c.started_at) AS called_back "
            "FROM calls c LEFT JOIN callers k ON k.id = c.caller_id "
            "WHERE c.hotline = ? AND c.state = 'missed' "
            "ORDER BY c.started_at DESC, c.id DESC LIMIT ?",
            (hotline, limit),
        )
        rings: dict[int, list[str]] = {r["call_id"]: [] for r in rows}
        if rings:
            marks = ",".join("?" * len(rings))
            for call_id, agent_id in self.db.execute(
                f"SELECT call_id, agent_id FROM call_rings WHERE call_id IN ({marks}) "
                "ORDER BY call_id, agent_id",
                tuple(rings),
            ).fetchall():
                rings[int(call_id)].append(str(agent_id))
        for row in rows:
            row["called_back"] = bool(row["called_back"])
            row["rang_agents"] = rings[row["call_id"]]
        return rows

    def record_outbound(self, agent_id: str, data: Row) -> Row:
        """An outbound call the agent places (a callback attempt): theirs from the start;
        whether it reached the caller is said later (set_call_result)."""
        now = now_iso()
        with self.write() as db:
            ident = self.insert(
                db,
                "INSERT INTO calls(agent_id, number, caller_id, source, started_at, call_ref,"
                " direction, queue, state, answered_by, answered_at, hotline, reason, ticket_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    agent_id,
                    data["number"],
                    data.get("caller_id"),
                    "console",
                    now,
                    "",
                    "out",
                    "",
                    "answered",
                    agent_id,
                    now,
                    data.get("hotline", ""),
                    data.get("reason", "callback"),
                    data.get("ticket_id"),
                ),
            )
            db.execute("INSERT INTO call_rings(call_id, agent_id) VALUES (?,?)", (ident, agent_id))
        call = self.get_call(ident)
        assert call is not None
        return call

    def set_call_result(self, call_id: int, reached: bool, at: str) -> Row | None:
        """Whether the outbound call reached the caller; one that did not is over."""
        with self.write() as db:
            db.execute(
                "UPDATE calls SET reached = ?, state = CASE WHEN ? = 0 THEN 'ended' ELSE state "
                "END, ended_at = CASE WHEN ? = 0 THEN coalesce(ended_at, ?) ELSE ended_at END, "
                "cause = CASE WHEN ? = 0 AND cause = '' THEN 'noAnswer' ELSE cause END "
                "WHERE id = ?",
                (int(reached), int(reached), int(reached), at, int(reached), call_id),
            )
        return self.get_call(call_id)
