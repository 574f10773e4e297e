"""Who may change which ticket (issue 14), decided in one place for the PATCH route and
the simulated field station alike.

- Production tickets: the owner (who created it) and supervisors change anything; the
  station it is dispatched to makes its own steps (ticket_flow.station_error); any other
  agent or mentor may add a note, nothing else. Trainees never see them.
- Practice tickets: their trainee and the mentors (and supervisors); nobody else.
- A closed ticket changes only by a supervisor's reopen (back to in progress) with the
  reason as its note; storage writes the reopen to the audit log with the move.
"""

from __future__ import annotations

from typing import Any

from agent_console.server.errors import ApiError
from agent_console.server.ticket_flow import station_error

MENTORS = ("mentor", "supervisor")
REOPEN_TO = "in_progress"


def is_reopen(agent: dict[str, Any], ticket: dict[str, Any], changes: dict[str, Any]) -> bool:
    """A supervisor moving a closed ticket back into progress."""
    return (
        ticket["status"] == "closed"
        and agent["role"] == "supervisor"
        and changes.get("status") == REOPEN_TO
    )


def check_change(agent: dict[str, Any], ticket: dict[str, Any], changes: dict[str, Any]) -> None:
    """Raise the ApiError that refuses `agent` making `changes` to `ticket`, if any."""
    role, me = agent["role"], str(agent["id"])
    missing = ApiError(404, "not_found", f"no ticket {ticket['id']}")
    if ticket["area"] == "practice":
        if role == "trainee" and str(ticket["created_by"]) != me:
            raise ApiError(403, "own_only", "a trainee changes only their own practice tickets")
        if role not in MENTORS and role != "trainee":
            raise missing  # agents and stations have no practice area
    elif role == "trainee":
        raise missing  # trainees work in the practice area only
    elif role == "station":
        station = str(agent.get("station") or "")
        if not station or ticket["station_id"] != station:
            raise ApiError(404, "not_found", f"no ticket {ticket['id']} for your station")
        why = station_error(ticket, station, changes)
        if why:
            raise ApiError(409, "invalid_transition", why)
    elif role != "supervisor" and str(ticket["created_by"]) != me and set(changes) != {"note"}:
        raise ApiError(
            403,
            "note_only",
            f"ticket {ticket['id']} is {ticket['created_by']}'s: only they or a supervisor"
            " may change it; you may add a note",
        )
    if ticket["status"] == "closed":
        _check_closed(agent, ticket, changes)


def _check_closed(agent: dict[str, Any], ticket: dict[str, Any], changes: dict[str, Any]) -> None:
    if not is_reopen(agent, ticket, changes):
        raise ApiError(
            409,
            "ticket_closed",
            f"ticket {ticket['id']} is closed; only a supervisor may reopen it"
            f' (status "{REOPEN_TO}" with the reason as a note)',
        )
    extra = sorted(set(changes) - {"status", "note"})
    if extra:
        message = f"reopening changes nothing else; send {', '.join(extra)} afterwards"
        raise ApiError(422, "invalid", message, {extra[0]: message})
    if not str(changes.get("note") or "").strip():
        message = "say why the ticket is reopened (the note)"
        raise ApiError(422, "invalid", message, {"note": message})
