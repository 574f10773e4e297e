"""The sign-in throttle's attempts (issue 14): a password is checked only after a row
for it was reserved, inside the write lock, under the limits. SQLite's BEGIN IMMEDIATE
and PostgreSQL's write lock (taken by every write transaction, in every worker) make
the count, the check against the limits and the reservation one step."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import LoginSlot
from agent_console.server.storage.sql.core import SqlCore

#: Outcomes that count against an agent number at one address: a success clears them.
SEAT_COUNTS = "('pending', 'failed', 'unknown')"


class LoginsMixin(SqlCore):
    def reserve_login(
        self,
        agent_id: str,
        address: str,
        since: str,
        per_seat: int,
        per_address: int,
        keep_since: str,
    ) -> LoginSlot:
        """A slot to check one password, or why not: the times of the attempts that
        fill the limit (newest first). Rows older than `keep_since` are dropped."""
        with self.write() as db:
            db.execute("DELETE FROM login_attempts WHERE at < ?", (keep_since,))
            seat = db.execute(
                "SELECT at FROM login_attempts WHERE agent_id = ? AND address = ? AND at > ? "
                f"AND outcome IN {SEAT_COUNTS} ORDER BY at DESC LIMIT ?",
                (agent_id, address, since, per_seat),
            ).fetchall()
            if len(seat) >= per_seat:
                return LoginSlot(None, "seat", [r[0] for r in seat])
            spread = db.execute(
                "SELECT at FROM login_attempts WHERE address = ? AND at > ? "
                "AND outcome <> 'ok' ORDER BY at DESC LIMIT ?",
                (address, since, per_address),
            ).fetchall()
            if len(spread) >= per_address:
                return LoginSlot(None, "address", [r[0] for r in spread])
            attempt_id = self.insert(
                db,
                "INSERT INTO login_attempts(at, agent_id, address, outcome) "
                "VALUES (?, ?, ?, 'pending')",
                (now_iso(), agent_id, address),
            )
            return LoginSlot(attempt_id)

    def finish_login(self, attempt_id: int, outcome: str, audit: bool = True) -> None:
        """Record how a reserved attempt ended: `ok` clears the earlier failures of that
        agent number at that address; `failed` (a known agent number) is also written to
        the audit log; `unknown` (no such agent) only counts here, so guessing numbers
        cannot fill the audit log."""
        with self.write() as db:
            row = db.execute(
                "SELECT agent_id, address FROM login_attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                return
            agent_id, address = row[0], row[1]
            db.execute("UPDATE login_attempts SET outcome = ? WHERE id = ?", (outcome, attempt_id))
            if outcome == "ok":
                db.execute(
                    "UPDATE login_attempts SET outcome = 'cleared' WHERE agent_id = ? "
                    "AND address = ? AND outcome IN ('failed', 'unknown')",
                    (agent_id, address),
                )
            elif outcome == "failed" and audit:
                db.execute(
                    "INSERT INTO audit_log(at, agent_id, action, target, detail) "
                    "VALUES (?,?,?,?,?)",
                    (now_iso(), None, "login_failed", agent_id, f"from {address}"),
                )
