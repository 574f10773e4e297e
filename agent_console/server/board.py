"""The wallboard's figures (GET /wallboard, the `board` event), counted by plain
functions from the rows storage gives (storage/sql/board.py); no caller data in any.

Definitions (the contract is /work/notes/SUPERVISOR_CONTRACT.md):
- "today" is the server's local day: from local midnight of the server's clock.
- offered: inbound calls that started today; answered: those answered;
  answered within the service level: answered at most `service_level_s` seconds after
  they started; service level = answered within / offered (None when none offered);
  abandoned: ended before anyone answered. per_15min slots run from midnight to the
  slot holding now, each call counted in the slot it started in.
- an agent's state: on a call when the phone system says they answered a call still
  going, ringing when a call still rings at them, signed out without a live session,
  else what their console reported (ready when it never did).
- calls_today: calls the agent answered (either direction) that started today.
- acw_s: the mean of today's finished after-call-work periods (from the state log: a
  period lasts until the agent's next state change).
- aht_s: the mean handling time of the agent's calls today that ended: talk time
  (answered to ended) plus the after-call work recorded for that call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from statistics import fmean
from typing import Any

from agent_console.server.clock import iso
from agent_console.server.storage import Storage

Row = dict[str, Any]
STATES = ("ready", "ringing", "on_call", "acw", "not_ready", "signed_out")
SLOT = timedelta(minutes=15)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _seconds(start: str, end: str) -> float:
    return (parse(end) - parse(start)).total_seconds()


def day_start(now: datetime) -> datetime:
    """Midnight of the server's local day that holds `now`, in UTC."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def _mean(values: Sequence[float]) -> float | None:
    return round(fmean(values), 1) if values else None


# -- the queue ---------------------------------------------------------------------------
def queue_figures(calls: Iterable[Row], now: datetime, start: datetime, sl_s: float) -> Row:
    """Ringing now, and today's offered / answered / abandoned calls (inbound only)."""
    inbound = [c for c in calls if c["direction"] == "in"]
    since, until = iso(start), iso(start + timedelta(days=1))
    today = [c for c in inbound if since <= c["started_at"] < until]
    waits = [
        (now - parse(c["started_at"])).total_seconds() for c in inbound if c["state"] == "ringing"
    ]
    answered = [c for c in today if c["answered_at"]]
    within = [c for c in answered if _seconds(c["started_at"], c["answered_at"]) <= sl_s]
    abandoned = [c for c in today if not c["answered_at"] and c["ended_at"]]
    counts = [[0, 0, 0] for _ in range(max(0, int((now - start) / SLOT)) + 1)]
    for call in today:
        k = int((parse(call["started_at"]) - start) / SLOT)
        if 0 <= k < len(counts):
            counts[k][0] += 1
            counts[k][1] += bool(call["answered_at"])
            counts[k][2] += bool(not call["answered_at"] and call["ended_at"])
    slots = [
        {"at": iso(start + k * SLOT), "offered": o, "answered": a, "abandoned": d}
        for k, (o, a, d) in enumerate(counts)
    ]
    return {
        "ringing": len(waits),
        "longest_wait_s": max(waits) if waits else None,
        "offered_today": len(today),
        "answered_today": len(answered),
        "answered_within_sl": len(within),
        "service_level": round(len(within) / len(today), 4) if today else None,
        "abandoned_today": len(abandoned),
        "per_15min": slots,
    }


# -- the agents -------------------------------------------------------------------------
def acw_periods(log: Sequence[Row]) -> list[tuple[int | None, float]]:
    """(call id, seconds) of each finished after-call-work period in one agent's
    state log (in order): a period lasts until the next change."""
    return [
        (row["call_id"], _seconds(row["at"], after["at"]))
        for row, after in pairwise(log)
        if row["state"] == "acw"
    ]


def agent_figures(calls: Sequence[Row], log: Sequence[Row], since: str) -> Row:
    """calls_today, aht_s and acw_s of one agent, from the calls they answered and
    their state log."""
    until = iso(parse(since) + timedelta(days=1))
    handled = [c for c in calls if since <= c["started_at"] < until]
    periods = acw_periods(log)
    acw_of: dict[Any, float] = defaultdict(float)
    for call_id, took in periods:
        if call_id is not None:
            acw_of[call_id] += took
    handling = [
        _seconds(c["answered_at"], c["ended_at"]) + acw_of.get(c["id"], 0.0)
        for c in handled
        if c["ended_at"]
    ]
    return {
        "calls_today": len(handled),
        "aht_s": _mean(handling),
        "acw_s": _mean([took for _, took in periods]),
    }


def agent_state(
    agent: Row, talking: Row | None, ringing: Row | None, signed_in: bool
) -> tuple[str, str, str | None, str | None]:
    """(state, reason, state_since, call_started_at): the phone system's word first,
    then the sign-in, then what the console reported."""
    if talking is not None:
        return "on_call", "", talking["answered_at"], talking["answered_at"]
    if ringing is not None:
        return "ringing", "", ringing["started_at"], None
    if not signed_in:
        return "signed_out", "", None, None
    state = agent.get("state") or "ready"
    since = agent.get("since")
    reason = (agent.get("reason") or "") if state == "not_ready" else ""
    return state, reason, since, since if state == "on_call" else None


def agent_rows(
    agents: Sequence[Row],
    calls: Sequence[Row],
    rings: Iterable[tuple[int, str]],
    log: Sequence[Row],
    signed_in: set[str],
    overdue: Sequence[Row],
    start: datetime,
) -> list[Row]:
    """One row per agent, as the contract's `agents` items."""
    since = iso(start)
    by_id = {c["id"]: c for c in calls}
    ringing: dict[str, Row] = {}
    for call_id, agent_id in rings:
        call = by_id.get(call_id)
        if call is not None and call["state"] == "ringing":
            old = ringing.get(agent_id)
            if old is None or call["started_at"] < old["started_at"]:
                ringing[agent_id] = call
    talking: dict[str, Row] = {}
    answered: dict[str, list[Row]] = defaultdict(list)
    for call in calls:
        if call["answered_by"]:
            answered[call["answered_by"]].append(call)
            if call["state"] == "answered":
                talking[call["answered_by"]] = call
    logs: dict[str, list[Row]] = defaultdict(list)
    for row in log:
        logs[row["agent_id"]].append(row)
    owed: dict[str, int] = defaultdict(int)
    for row in overdue:
        owed[row["created_by"]] += 1
    rows: list[Row] = []
    for agent in agents:
        ident = agent["agent_id"]
        state, reason, state_since, call_started = agent_state(
            agent, talking.get(ident), ringing.get(ident), ident in signed_in
        )
        rows.append(
            {
                "agent_id": ident,
                "agent_no": agent["agent_no"],
                "name": agent["name"],
                "hotline": agent["hotline"],
                "team": agent["team"],
                "state": state,
                "reason": reason,
                "state_since": state_since,
                "call_started_at": call_started,
                **agent_figures(answered.get(ident, []), logs.get(ident, []), since),
                "callbacks_overdue": owed.get(ident, 0),
            }
        )
    return rows


def filter_agents(
    rows: Iterable[Row],
    hotline: str | None = None,
    team: str | None = None,
    state: str | None = None,
) -> list[Row]:
    return [
        r
        for r in rows
        if (not hotline or r["hotline"] == hotline)
        and (not team or r["team"] == team)
        and (not state or r["state"] == state)
    ]


# -- hands and callbacks -----------------------------------------------------------------
def hand_rows(hands: Iterable[Row]) -> list[Row]:
    keys = ("id", "agent_id", "agent_no", "name", "hotline", "since", "text")
    return [{k: h[k] for k in keys} for h in hands]


def overdue_by_station(overdue: Iterable[Row]) -> list[Row]:
    """Overdue callbacks per station ("" for tickets with none), the oldest due first."""
    count: dict[str, int] = defaultdict(int)
    oldest: dict[str, str] = {}
    for row in overdue:
        station = row["station_id"] or ""
        count[station] += 1
        if station not in oldest or row["callback_due"] < oldest[station]:
            oldest[station] = row["callback_due"]
    return [
        {"station": s, "count": count[s], "oldest_due": oldest[s]}
        for s in sorted(count, key=lambda s: (oldest[s], s))
    ]


# -- the document ------------------------------------------------------------------------
def document(
    storage: Storage,
    now: datetime,
    sl_s: float,
    keys: Iterable[str] = ("agents", "queue", "hands", "overdue_callbacks"),
    agent_ids: Sequence[str] | None = None,
    filters: Mapping[str, str | None] | None = None,
) -> Row:
    """The wallboard (or the parts named in `keys`, the agents limited to `agent_ids`)
    read from `storage` at `now`."""
    keys = set(keys)
    start = day_start(now)
    since, at = iso(start), iso(now)
    doc: Row = {"at": at, "service_level_s": sl_s}
    calls: list[Row] = storage.board_calls(since) if keys & {"agents", "queue"} else []
    overdue: list[Row] = []
    if "overdue_callbacks" in keys:
        overdue = storage.board_overdue(at)
    elif "agents" in keys:  # only these agents' counts
        overdue = storage.board_overdue(at, agent_ids)
    if "agents" in keys:
        rows = agent_rows(
            storage.board_agents(agent_ids),
            calls,
            storage.board_rings(),
            storage.board_state_log(since, agent_ids),
            storage.board_signed_in(at, agent_ids),
            overdue,
            start,
        )
        doc["agents"] = filter_agents(rows, **(filters or {}))
    if "queue" in keys:
        doc["queue"] = queue_figures(calls, now, start, sl_s)
    if "hands" in keys:
        doc["hands"] = hand_rows(storage.board_hands())
    if "overdue_callbacks" in keys:
        doc["overdue_callbacks"] = overdue_by_station(overdue)
    return doc
