"""What the ticket form decides without drawing: its choices and their words, flags for
extra care, the station to suggest, the lines it shows (caller, station hint, callback
time), and field validation. No Textual here, so it is tested without a terminal."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from agent_console.due_time import HELP, DueError, describe_due, parse_due
from agent_console.i18n import _, labelled, ngettext
from agent_console.models import Caller, Station

# The form's choices and the complaints through government hotlines, which escalate
# easily (mirrors of the server's lists, agent_console/server/ticket_flow.py).
PRIORITIES = ("normal", "high", "urgent")
SOURCES = ("hotline", "12345", "12319", "mayor", "wechat", "weibo", "app", "walk_in", "email")
GOVERNMENT_SOURCES = ("12345", "12319", "mayor")


def source_label(source: str) -> str:
    return {
        "hotline": _("Hotline"),
        "12345": _("12345 government hotline"),
        "12319": _("12319 city services hotline"),
        "mayor": _("Mayor's line"),
        "wechat": _("WeChat"),
        "weibo": _("Weibo"),
        "app": _("App"),
        "walk_in": _("Walk-in"),
        "email": _("E-mail"),
    }.get(source, source)


def priority_label(priority: str) -> str:
    return {"normal": _("normal"), "high": _("high"), "urgent": _("URGENT")}.get(priority, priority)


def caller_line(caller: Caller | None) -> str:
    """The form's first line: whom the ticket is for (none: an anonymous ticket)."""
    if caller is None:
        return labelled(_("Caller"), _("none (anonymous ticket)"))
    return labelled(_("Caller"), f"{caller.name} · {caller.phone} · {caller.address}")


def station_hint(name: str, why: str, chosen: str | None) -> str:
    """The line under the stations: the one suggested and why, and the agent's own
    choice (`chosen`, a station's name) where it is another."""
    text = _("Suggested station: {name} (from {why})").format(name=name, why=why)
    if chosen is not None:
        text += " · " + _("you chose {name}").format(name=chosen)
    return text


def due_preview(text: str, now: datetime) -> str:
    """What the typed callback time means ("→ Mon 09:00 (in 14 h)"), or how to type
    one; "" for nothing typed."""
    if not text.strip():
        return ""
    try:
        return "→ " + describe_due(parse_due(text, now), now)
    except DueError:
        return "? " + HELP


def care_flags(source: str, caller: Caller | None) -> list[str]:
    """Why this ticket needs extra care, in words (never colour alone)."""
    flags: list[str] = []
    if source in GOVERNMENT_SOURCES:
        flags.append(_("GOVERNMENT LINE: escalates easily; call back on time, note every step"))
    if caller is not None and caller.tickets_30d > 0:
        flags.append(
            ngettext(
                "REPEAT CALLER: {n} ticket in the last 30 days; check it first",
                "REPEAT CALLER: {n} tickets in the last 30 days; check them first",
                caller.tickets_30d,
            ).format(n=caller.tickets_30d)
        )
    return flags


def suggest_station(caller: Caller | None, stations: list[Station]) -> tuple[str, str] | None:
    """(station code, why) from the caller's compound, else from the district named in
    the address; None when nothing points to a station."""
    if caller is None:
        return None
    codes = {s.code: s for s in stations}
    if caller.station and caller.station in codes:
        return caller.station, _("compound {name}").format(name=caller.compound)
    for station in stations:
        if station.district and station.district in caller.address:
            return station.code, _("district {name}").format(name=station.district)
    return None


def validate(
    data: dict[str, Any], due_text: str, now: datetime
) -> tuple[dict[str, str], str | None]:
    """(field -> message, callback due as UTC ISO or None) for what the agent entered."""
    errors: dict[str, str] = {}
    if not data.get("summary"):
        errors["summary"] = _("Say in one line what the caller needs.")
    if not data.get("category"):
        errors["category"] = _("Choose a category: type a few characters, then Enter.")
    due: str | None = None
    if due_text.strip():
        try:
            moment = parse_due(due_text, now)
        except DueError as exc:
            errors["callback_due"] = str(exc)
        else:
            if moment < now:
                errors["callback_due"] = _("That time has passed; the callback must be ahead.")
            else:
                due = to_utc_iso(moment)
    elif data.get("source") in GOVERNMENT_SOURCES:
        errors["callback_due"] = _("A government-line ticket needs a callback time.")
    return errors, due


def to_utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local wall-clock time
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_time(iso: str | None) -> datetime | None:
    """A backend timestamp (UTC ISO) in the console's local time, naive."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().replace(tzinfo=None)
