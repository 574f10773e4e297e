"""Timestamps from the backend (UTC, ISO 8601) shown in the seat's local time."""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo

from agent_console.i18n import _


def local(ts: str, with_seconds: bool = False) -> str:
    """'2026-10-09T02:20:00Z' -> '2026-10-09 10:20' on a seat at UTC+8; unparsable stays."""
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


#: A note line as the backend stamps it: "[2026-12-06T11:16:09Z 1001] text".
_NOTE_STAMP = re.compile(
    r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)) (\S+)\]"
)


def short_moment(moment: datetime, now: datetime) -> str:
    """A moment as an agent reads it, in the agent's language: "14:05" today,
    "yesterday 14:05" / "昨天 14:05", else "12-04 14:05" / "12月4日 14:05"."""
    clock = moment.strftime("%H:%M")
    days = (now.date() - moment.date()).days
    if days == 0:
        return clock
    if days == 1:
        return _("yesterday {time}").format(time=clock)
    return _("{month}-{day} {time}").format(
        month=f"{moment.month:02d}", day=f"{moment.day:02d}", time=clock
    )


def note_times(notes: str, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """Ticket notes with each backend stamp shown in the seat's time (`zone`, default
    local) and the agent's language ("[2026-12-06T11:16:09Z 1001]" -> "[19:16 · 1001]");
    other text stays as typed."""
    here = (now or datetime.now(timezone.utc)).astimezone(zone)

    def one(match: re.Match[str]) -> str:
        try:
            moment = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        return f"[{short_moment(moment.astimezone(zone), here)} · {match.group(2)}]"

    return "\n".join(_NOTE_STAMP.sub(one, line) for line in notes.split("\n"))
