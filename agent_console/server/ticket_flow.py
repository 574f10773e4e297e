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
