"""The closed loop a ticket travels, and which moves along it are legal.

record -> dispatch -> follow up -> call the customer back -> record satisfaction.
"""

from __future__ import annotations

STATUSES = ("new", "dispatched", "in_progress", "resolved", "called_back", "closed")

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("dispatched", "in_progress", "resolved"),
    "dispatched": ("in_progress", "resolved"),
    "in_progress": ("resolved",),
    # The caller may say on the callback that it is not fixed: back into progress.
    "resolved": ("called_back", "in_progress"),
    "called_back": ("closed", "in_progress"),
    "closed": (),
}

PRIORITIES = ("normal", "high", "urgent")
SOURCES = ("hotline", "12345", "12319", "mayor", "wechat", "weibo", "app", "walk_in", "email")
# Complaints through government hotlines escalate easily; they get extra care.
GOVERNMENT_SOURCES = ("12345", "12319", "mayor")


def transition_error(current: str, target: str) -> str | None:
    """Why `current -> target` is not allowed, or None when it is."""
    if target not in STATUSES:
        return f"unknown status {target!r}; known: {', '.join(STATUSES)}"
    if target == current:
        return None
    allowed = TRANSITIONS[current]
    if target not in allowed:
        nexts = ", ".join(allowed) if allowed else "none, the ticket is closed"
        return (
            f"a ticket cannot go from {current} to {target}; from {current} it can go to: {nexts}"
        )
    return None


# -- who may move a ticket where, closing, callback times ---------------------------
# A field station works only the middle of the loop: it takes a dispatched ticket in
# hand and reports it resolved; the agent who owns the ticket calls back and closes.
STATION_MOVES: dict[str, tuple[str, ...]] = {
    "dispatched": ("in_progress", "resolved"),
    "in_progress": ("resolved",),
}
STATION_FIELDS = frozenset({"status", "note"})
# Callbacks the agent still owes: the follow-ups list.
OPEN_STATUSES = ("new", "dispatched", "in_progress", "resolved", "called_back")


def station_error(
    ticket: dict[str, object], station: str, changes: dict[str, object]
) -> str | None:
    """Why a station may not make `changes` to `ticket`, or None when it may."""
    if not station or ticket.get("station_id") != station:
        return "this ticket is not dispatched to your station"
    extra = sorted(set(changes) - STATION_FIELDS)
    if extra:
        return f"a field station may change only status and add a note, not {', '.join(extra)}"
    target = changes.get("status")
    if target is None or target == ticket.get("status"):
        return None
    current = str(ticket.get("status"))
    allowed = STATION_MOVES.get(current, ())
    if target not in allowed:
        nexts = ", ".join(allowed) if allowed else "none (the agent owns this stage)"
        return f"a field station cannot move a ticket from {current} to {target}; it can: {nexts}"
    return None


def closing_problems(ticket: dict[str, object], changes: dict[str, object]) -> dict[str, str]:
    """Closing needs the caller's satisfaction (1-5) and a comment (the closing note
    counts); field -> message for what is missing."""
    problems: dict[str, str] = {}
    if changes.get("satisfaction", ticket.get("satisfaction")) is None:
        problems["satisfaction"] = "record the caller's satisfaction (1-5) before closing"
    comment = (
        changes.get("satisfaction_comment")
        or ticket.get("satisfaction_comment")
        or changes.get("note")
    )
    if not str(comment or "").strip():
        problems["satisfaction_comment"] = "say in a few words what the caller said on the callback"
    return problems


#: Callback times the server accepts (UTC years): a far date is a typo, and one at the
#: edge of datetime's range overflowed on conversion to UTC (a 500, issue 14).
DUE_YEARS = (2000, 2099)


def normalize_due(text: str) -> str:
    """An ISO 8601 moment (with a zone, or UTC) as the server stores it; ValueError
    when unreadable or outside DUE_YEARS."""
    from datetime import datetime, timezone

    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if not DUE_YEARS[0] <= moment.year <= DUE_YEARS[1]:
        raise ValueError(f"the year must be {DUE_YEARS[0]}-{DUE_YEARS[1]}")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
