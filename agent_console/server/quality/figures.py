"""The quality figures per agent or team, by day or week, from plain facts.

Plain functions over rows the storage reads (calls, agent state changes, tickets and
their status changes), so each figure is tested with hand-computed expectations and
the same code serves the API and the report. Definitions (what a manager reads):

- period: the local calendar day of the fact, or the Monday of its week (`tz` is the
  server's time zone; every stored time is UTC).
- calls: calls the agent answered in the period (by answer time).
- aht_s: average talk time of those calls, answer to hang-up (after-call work apart).
- acw_s: average after-call work: from the agent entering `acw` to their next state
  change (a stretch still open is not counted), by when it began.
- satisfaction: mean of the caller's 1-5 satisfaction on the agent's tickets closed in
  the period (by when the ticket moved to closed); satisfaction_n how many.
- callbacks_due: the agent's tickets whose callback fell due in the period;
  callbacks_on_time: those called back by the due time. Called back = the first of:
  the ticket moved to called_back (or closed), or an outbound callback call on the
  ticket that reached the caller.
- repeat_7d: the agent's tickets created in the period (with a known caller) after
  which the same caller opened another ticket of the same category within 7 days:
  the issue came back, so it was not resolved at first contact. fcr = 1 - repeat_7d
  / those tickets.
The agent of a ticket is who created it (who owes the callback and closes it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any

REPEAT_WINDOW = timedelta(days=7)
DONE_STATUSES = ("called_back", "closed")


def parse_time(text: str | None) -> datetime | None:
    """A stored time (ISO 8601, `Z` or an offset) as an aware datetime; None if empty
    or unreadable (a bad stored value skips one fact instead of failing the report)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def period_of(moment: datetime, by: str, tz: tzinfo) -> date:
    """The local day of `moment`, or the Monday of its week."""
    day = moment.astimezone(tz).date()
    return day - timedelta(days=day.weekday()) if by == "week" else day


@dataclass
class TicketFact:
    id: int
    agent_id: str
    caller_id: int | None
    category: str
    created_at: datetime
    closed_at: datetime | None = None
    satisfaction: int | None = None
    callback_due: datetime | None = None
    called_back_at: datetime | None = None


@dataclass
class _Sums:
    calls: int = 0
    talk: list[float] = field(default_factory=list[float])
    acw: list[float] = field(default_factory=list[float])
    sat: list[int] = field(default_factory=list[int])
    due: int = 0
    on_time: int = 0
    tickets: int = 0
    repeats: int = 0


def acw_spans(log: Iterable[Mapping[str, Any]]) -> list[tuple[str, datetime, float]]:
    """(agent_id, start, seconds) of each after-call-work stretch in a state log
    (rows with agent_id, state, at; in order per agent): acw until the next change."""
    spans: list[tuple[str, datetime, float]] = []
    open_acw: dict[str, datetime] = {}
    for row in log:
        agent, at = str(row["agent_id"]), parse_time(row["at"])
        if at is None:
            continue
        began = open_acw.pop(agent, None)
        if began is not None and at >= began:
            spans.append((agent, began, (at - began).total_seconds()))
        if row["state"] == "acw":
            open_acw[agent] = at
    return spans


def called_back_at(
    status_changes: Iterable[tuple[datetime, str]], reached_calls: Iterable[datetime]
) -> datetime | None:
    """When the caller was called back: the first move to called_back/closed, or the
    first outbound callback call that reached them, whichever came first."""
    moments = [at for at, status in status_changes if status in DONE_STATUSES]
    moments += list(reached_calls)
    return min(moments) if moments else None


def repeated(tickets: Iterable[TicketFact]) -> set[int]:
    """Ids of tickets the same caller followed with a ticket of the same category
    within REPEAT_WINDOW (the later ticket itself is not a repeat of anything later
    unless a third one follows it)."""
    by_issue: dict[tuple[int, str], list[TicketFact]] = defaultdict(list)
    for t in tickets:
        if t.caller_id is not None:
            by_issue[(t.caller_id, t.category)].append(t)
    out: set[int] = set()
    for group in by_issue.values():
        group.sort(key=lambda t: (t.created_at, t.id))
        for first, then in pairwise(group):
            if then.created_at - first.created_at <= REPEAT_WINDOW:
                out.add(first.id)
    return out


def _mean(values: list[float] | list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(
    *,
    agents: Mapping[str, Mapping[str, Any]],
    calls: Iterable[Mapping[str, Any]],
    state_log: Iterable[Mapping[str, Any]],
    tickets: list[TicketFact],
    first: date,
    last: date,
    by: str,
    group: str,
    tz: tzinfo,
) -> list[dict[str, Any]]:
    """The rows of GET /quality for the local days first..last (inclusive): one per
    period and agent (or team) that has any fact, sorted by period then agent/team.

    `agents`: id -> {agent_no, name, team}; facts of agents not in it are left out.
    `calls`: rows with agent_id, answered_at, ended_at. `state_log`: agent_id, state,
    at, in order. `tickets` may hold tickets outside the range (the repeats need the
    week after it)."""

    def key(agent_id: str) -> str | None:
        if agent_id not in agents:
            return None
        return str(agents[agent_id].get("team", "")) if group == "team" else agent_id

    sums: dict[tuple[date, str], _Sums] = defaultdict(_Sums)

    def slot(moment: datetime | None, agent_id: str) -> _Sums | None:
        if moment is None:
            return None
        local = moment.astimezone(tz).date()
        who = key(agent_id)
        if who is None or not first <= local <= last:
            return None
        return sums[(period_of(moment, by, tz), who)]

    for call in calls:
        answered, ended = parse_time(call["answered_at"]), parse_time(call["ended_at"])
        s = slot(answered, str(call["agent_id"]))
        if s is None:
            continue
        s.calls += 1
        if answered is not None and ended is not None and ended >= answered:
            s.talk.append((ended - answered).total_seconds())
    for agent_id, began, seconds in acw_spans(state_log):
        if (s := slot(began, agent_id)) is not None:
            s.acw.append(seconds)
    repeats = repeated(tickets)
    for t in tickets:
        if t.satisfaction is not None and (s := slot(t.closed_at, t.agent_id)) is not None:
            s.sat.append(t.satisfaction)
        if (s := slot(t.callback_due, t.agent_id)) is not None:
            s.due += 1
            due = t.callback_due
            if t.called_back_at is not None and due is not None and t.called_back_at <= due:
                s.on_time += 1
        if t.caller_id is not None and (s := slot(t.created_at, t.agent_id)) is not None:
            s.tickets += 1
            s.repeats += t.id in repeats

    rows: list[dict[str, Any]] = []
    for (period, who), s in sorted(sums.items()):
        person: Mapping[str, Any] = agents.get(who, {}) if group == "agent" else {}
        rows.append(
            {
                "period": period.isoformat(),
                "agent_id": who if group == "agent" else None,
                "agent_no": person.get("agent_no") if group == "agent" else None,
                "name": person.get("name") if group == "agent" else None,
                "team": str(person.get("team", "")) if group == "agent" else who,
                "calls": s.calls,
                "satisfaction": _mean(s.sat),
                "satisfaction_n": len(s.sat),
                "callbacks_due": s.due,
                "callbacks_on_time": s.on_time,
                "callbacks_on_time_share": _share(s.on_time, s.due),
                "repeat_7d": s.repeats,
                "fcr": _share(s.tickets - s.repeats, s.tickets),
                "aht_s": _mean(s.talk),
                "acw_s": _mean(s.acw),
            }
        )
    return rows
