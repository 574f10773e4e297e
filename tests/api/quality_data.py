"""A known set of calls, state changes and tickets in March 2026 (long before the demo
data's dates), written straight into a copy of the demo database before its backend
starts, so the quality figures over those days are the ones worked out by hand in the
tests. Every moment is at midday UTC, so the server's time zone does not move a day."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent_console.backend_process import EmbeddedBackend
from agent_console.server.storage import open_storage
from tests.conftest import DemoDatabase

CAT_X, CAT_Y = "heat.no_heat.whole_flat", "heat.no_heat.partial"

# (key, agent, caller, category, created, callback_due, satisfaction, status,
#  [(at, status)...]) ; the ticket's events move it through the loop.
TICKETS = [
    (
        "T1",
        "1001",
        1,
        CAT_X,
        "2026-03-02T10:02:00Z",
        "2026-03-02T14:00:00Z",
        5,
        "closed",
        [
            ("2026-03-02T12:00:00Z", "resolved"),
            ("2026-03-02T13:00:00Z", "called_back"),
            ("2026-03-02T13:05:00Z", "closed"),
        ],
    ),
    (
        "T2",
        "1001",
        2,
        CAT_X,
        "2026-03-02T11:00:00Z",
        "2026-03-02T12:00:00Z",
        3,
        "closed",
        [
            ("2026-03-02T11:30:00Z", "resolved"),
            ("2026-03-03T11:00:00Z", "called_back"),
            ("2026-03-03T12:00:00Z", "closed"),
        ],
    ),
    ("T3", "1001", 1, CAT_X, "2026-03-03T12:00:00Z", None, None, "new", []),
    (
        "T4",
        "1002",
        2,
        CAT_Y,
        "2026-03-03T12:01:00Z",
        "2026-03-03T15:00:00Z",
        4,
        "closed",
        [
            ("2026-03-03T12:30:00Z", "resolved"),
            ("2026-03-03T14:00:00Z", "called_back"),
            ("2026-03-03T16:00:00Z", "closed"),
        ],
    ),
]
# (agent, answered, ended)
CALLS = [
    ("1001", "2026-03-02T10:00:00Z", "2026-03-02T10:03:00Z"),
    ("1001", "2026-03-02T11:00:00Z", "2026-03-02T11:01:00Z"),
    ("1002", "2026-03-03T12:00:00Z", "2026-03-03T12:02:00Z"),
]
# (agent, state, at)
STATE_LOG = [
    ("1001", "acw", "2026-03-02T10:03:00Z"),
    ("1001", "ready", "2026-03-02T10:03:50Z"),
    ("1001", "acw", "2026-03-02T11:01:00Z"),
    ("1001", "ready", "2026-03-02T11:01:30Z"),
]
TEAMS = {"1001": "A", "1002": "B"}


def write_known_facts(url: str) -> dict[str, int]:
    """Write the facts into the database at `url`; ticket key -> its id."""
    storage: Any = open_storage(url)  # the SQL layer's write() and insert(), as the engines have
    ids: dict[str, int] = {}
    try:
        with storage.write() as db:
            for agent, team in TEAMS.items():
                db.execute("UPDATE agents SET team = ? WHERE id = ?", (team, agent))
            for key, agent, caller, cat, created, due, sat, status, moves in TICKETS:
                last = moves[-1][0] if moves else created
                ids[key] = storage.insert(
                    db,
                    "INSERT INTO tickets(area, caller_id, category, summary, status,"
                    " callback_due, satisfaction, satisfaction_comment, created_by,"
                    " created_at, updated_at) VALUES ('production',?,?,?,?,?,?,?,?,?,?)",
                    (
                        caller,
                        cat,
                        f"quality {key}",
                        status,
                        due,
                        sat,
                        "ok" if sat else "",
                        agent,
                        created,
                        last,
                    ),
                )
                before = "new"
                for at, target in moves:
                    change = json.dumps({"status": [before, target]})
                    db.execute(
                        "INSERT INTO ticket_events(ticket_id, at, agent_id, change)"
                        " VALUES (?,?,?,?)",
                        (ids[key], at, agent, change),
                    )
                    before = target
            # T2's callback: a call that reached the caller at 12:30, after its due time.
            db.execute(
                "INSERT INTO calls(agent_id, number, started_at, direction, state,"
                " answered_by, answered_at, ended_at, reason, reached, ticket_id)"
                " VALUES ('1001', '13800000000', '2026-03-02T12:30:00Z', 'out', 'ended',"
                " NULL, NULL, '2026-03-02T12:31:00Z', 'callback', 1, ?)",
                (ids["T2"],),
            )
            for agent, answered, ended in CALLS:
                db.execute(
                    "INSERT INTO calls(agent_id, number, started_at, direction, state,"
                    " answered_by, answered_at, ended_at) VALUES (?,?,?,'in','ended',?,?,?)",
                    (agent, "13900000000", answered, agent, answered, ended),
                )
            for agent, state, at in STATE_LOG:
                db.execute(
                    "INSERT INTO agent_state_log(agent_id, state, at) VALUES (?,?,?)",
                    (agent, state, at),
                )
    finally:
        storage.close()
    return ids


def start_known(
    demo: DemoDatabase, workdir: Path, extra_args: list[str] | None = None
) -> tuple[EmbeddedBackend, dict[str, int]]:
    """A backend over a copy of the demo data with the known facts written in."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = demo.copy(workdir)
    ids = write_known_facts(url)
    backend = EmbeddedBackend(
        url, demo_data=False, log_file=workdir / "server.log", extra_args=extra_args
    )
    return backend.start(), ids
