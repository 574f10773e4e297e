"""The caller log (F7): calls nobody answered, as an agent reads them, and what calls
back. No Textual here: screens/followups.py draws these rows.

A row says who (the caller's name, or "unknown caller"; the number masked, never
whole), when in the agent's language ("14:05 (25 min ago)", "yesterday 09:12"), the
queue, and whether anyone has called the number back since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from agent_console.i18n import _
from agent_console.models.calls import MissedCall
from agent_console.ticket_form import local_time


def ago(seconds: float) -> str:
    """ "25 min ago", "3 h ago", "2 d ago" (just now under a minute)."""
    minutes = int(max(seconds, 0)) // 60
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return _("{n} min ago").format(n=minutes)
    if minutes < 48 * 60:
        return _("{n} h ago").format(n=minutes // 60)
    return _("{n} d ago").format(n=minutes // (24 * 60))


def when(at: str, now: datetime) -> str:
    """When a call rang, in the seat's local time (`now` naive local): today's time
    with how long ago, "yesterday 09:12", else the date ("12-04 09:12")."""
    moment = local_time(at)
    if moment is None:
        return at
    clock = moment.strftime("%H:%M")
    if moment.date() == now.date():
        return _("{time} ({ago})").format(time=clock, ago=ago((now - moment).total_seconds()))
    if moment.date() == (now - timedelta(days=1)).date():
        return _("yesterday {time}").format(time=clock)
    return moment.strftime("%m-%d %H:%M")


@dataclass(frozen=True)
class LogRow:
    """One missed call's cells, left to right."""

    when: str
    who: str
    number: str
    queue: str
    called_back: str


def row(call: MissedCall, now: datetime) -> LogRow:
    return LogRow(
        when=when(call.at, now),
        who=call.caller_name or _("unknown caller"),
        number=call.number_masked or _("withheld"),
        queue=call.queue or "–",
        called_back=_("✓ called back") if call.called_back else _("not called back"),
    )


def newest_first(calls: list[MissedCall]) -> list[MissedCall]:
    """The backend sends them newest first; a log that is kept in that order whatever
    it sent (ISO UTC times sort as text; the call id breaks ties)."""
    return sorted(calls, key=lambda c: (c.at, c.call_id), reverse=True)


def summary(calls: list[MissedCall]) -> str:
    if not calls:
        return _("No missed calls on your hotline.")
    owed = sum(1 for c in calls if not c.called_back)
    return _("Missed calls: {n}, not called back: {owed}.").format(n=len(calls), owed=owed)


def can_call_back(call: MissedCall) -> bool:
    """A withheld number cannot be dialled (the backend refuses it too)."""
    return any(ch.isdigit() for ch in call.number_masked)
