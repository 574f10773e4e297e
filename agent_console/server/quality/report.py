"""GET /quality's figures for a range of local days: the UTC window the storage reads,
the facts it returns turned into TicketFacts, and figures.figures over them."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, cast

from agent_console.server.quality.figures import (
    REPEAT_WINDOW,
    TicketFact,
    called_back_at,
    figures,
    parse_time,
)
from agent_console.server.storage.sql.quality import CALLBACK_LOOKBACK_DAYS

#: The longest range one request may ask for (a year of days, with room for a week).
MAX_DAYS = 400


def local_tz() -> tzinfo:
    """The server's time zone: the days and weeks of the figures are its calendar."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def iso_utc(moment: datetime) -> str:
    """An aware moment as stored times are written (UTC, second precision)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket_facts(facts: dict[str, Any]) -> list[TicketFact]:
    """TicketFacts from the storage's ticket rows, status changes and reached callbacks."""
    changes: dict[int, list[tuple[datetime, str]]] = {}
    for e in facts["events"]:
        at = parse_time(e["at"])
        try:
            change: Any = json.loads(e["change"])
        except ValueError:
            continue
        status: Any = (
            cast("dict[str, Any]", change).get("status") if isinstance(change, dict) else None
        )
        if at is not None and isinstance(status, list) and len(cast("list[Any]", status)) == 2:
            target = cast("list[Any]", status)[1]
            changes.setdefault(int(e["ticket_id"]), []).append((at, str(target)))
    reached: dict[int, list[datetime]] = {}
    for c in facts["reached"]:
        if (at := parse_time(c["started_at"])) is not None:
            reached.setdefault(int(c["ticket_id"]), []).append(at)
    out: list[TicketFact] = []
    for t in facts["tickets"]:
        created = parse_time(t["created_at"])
        if created is None:
            continue
        moves = changes.get(int(t["id"]), [])
        closed = [at for at, status in moves if status == "closed"]
        out.append(
            TicketFact(
                id=int(t["id"]),
                agent_id=str(t["created_by"]),
                caller_id=t["caller_id"],
                category=str(t["category"]),
                created_at=created,
                closed_at=(max(closed) if closed else parse_time(t["updated_at"]))
                if t["status"] == "closed"
                else None,
                satisfaction=t["satisfaction"],
                callback_due=parse_time(t["callback_due"]),
                called_back_at=called_back_at(moves, reached.get(int(t["id"]), [])),
            )
        )
    return out


def quality_items(
    storage: Any, first: date, last: date, by: str, group: str, tz: tzinfo
) -> list[dict[str, Any]]:
    """The rows of GET /quality for the local days first..last."""
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    facts = storage.quality_facts(
        iso_utc(start),
        iso_utc(end),
        iso_utc(end + timedelta(days=1)),
        iso_utc(start - timedelta(days=CALLBACK_LOOKBACK_DAYS)),
        iso_utc(end + REPEAT_WINDOW),
    )
    agents = {str(a["id"]): a for a in facts["agents"]}
    return figures(
        agents=agents,
        calls=facts["calls"],
        state_log=facts["state_log"],
        tickets=ticket_facts(facts),
        first=first,
        last=last,
        by=by,
        group=group,
        tz=tz,
    )
