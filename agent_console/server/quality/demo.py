"""A week of past work for the demo (issue 16): answered calls with after-call work and
closed tickets with satisfaction and callbacks, for the demo agents, so the quality
figures, the review sample and the report have something to show. Written once per
demo database (an audit row marks it), on the days before today only (the wallboard's
"today" stays the live one)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from agent_console.server.clock import iso

MARKER = "demo_quality_history"
AGENTS = ("1001", "1002", "1003")
CATEGORIES = (
    "heat.no_heat.whole_flat",
    "heat.no_heat.partial",
    "heat.leak.in_flat",
    "heat.consult.payment",
    "heat.consult.account",
)
SUMMARIES = {
    "heat.no_heat.whole_flat": "整户暖气不热",
    "heat.no_heat.partial": "部分暖气片不热",
    "heat.leak.in_flat": "户内暖气漏水",
    "heat.consult.payment": "咨询暖气费交费方式",
    "heat.consult.account": "忘记交费编号，核实后代查",
}
COMMENTS = {5: "非常满意", 4: "满意", 3: "处理时间有点长", 2: "问题没有彻底解决"}
CALLBACK_HOURS = 4


def history(now: datetime, callers: list[int], days: int = 7, seed: int = 16) -> dict[str, Any]:
    """Tickets, calls and state changes on the `days` days before `now`'s day (UTC),
    the same for the same arguments."""
    rng = random.Random(seed)
    today = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    tickets: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    recent: list[tuple[int, str]] = []  # (caller, category) of earlier tickets: repeats
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for agent in AGENTS:
            moment = day + timedelta(hours=1, minutes=rng.randrange(0, 60))
            for _ in range(rng.randint(3, 6)):
                talk = rng.randint(60, 420)
                acw = rng.randint(15, 120)
                answered = moment
                ended = answered + timedelta(seconds=talk)
                if recent and rng.random() < 0.1:
                    caller, category = rng.choice(recent[-12:])  # the same issue again
                else:
                    caller, category = rng.choice(callers), rng.choice(CATEGORIES)
                calls.append(
                    {
                        "agent_id": agent,
                        "number": f"1390000{rng.randrange(10000):04d}",
                        "caller_id": caller,
                        "answered_at": iso(answered),
                        "ended_at": iso(ended),
                        "hotline": "961655",
                    }
                )
                log += [
                    {"agent_id": agent, "state": "on_call", "at": iso(answered)},
                    {"agent_id": agent, "state": "acw", "at": iso(ended)},
                    {
                        "agent_id": agent,
                        "state": "ready",
                        "at": iso(ended + timedelta(seconds=acw)),
                    },
                ]
                if rng.random() < 0.7:
                    tickets.append(_ticket(rng, agent, caller, category, ended))
                    recent.append((caller, category))
                moment = ended + timedelta(seconds=acw + rng.randint(300, 3600))
    return {"tickets": tickets, "calls": calls, "state_log": log}


def _ticket(
    rng: random.Random, agent: str, caller: int, category: str, created: datetime
) -> dict[str, Any]:
    due = created + timedelta(hours=CALLBACK_HOURS)
    resolved = created + timedelta(minutes=rng.randint(30, 150))
    called = resolved + timedelta(minutes=rng.randint(10, 180))  # late now and then
    closed = called + timedelta(minutes=5)
    score = rng.choices((5, 4, 3, 2), weights=(5, 4, 2, 1))[0]
    return {
        "agent_id": agent,
        "caller_id": caller,
        "category": category,
        "summary": SUMMARIES[category],
        "status": "closed",
        "callback_due": iso(due),
        "satisfaction": score,
        "satisfaction_comment": COMMENTS[score],
        "created_at": iso(created),
        "updated_at": iso(closed),
        "moves": [
            (iso(created), {"status": [None, "new"]}),
            (iso(resolved), {"status": ["new", "resolved"]}),
            (iso(called), {"status": ["resolved", "called_back"]}),
            (
                iso(closed),
                {"status": ["called_back", "closed"], "satisfaction": [None, score]},
            ),
        ],
    }


def add_demo_history(storage: Any, now: datetime) -> int:
    """Write the demo's past week once; the number of tickets written (0: done before)."""
    if storage.has_audit(MARKER):
        return 0
    callers = storage.first_caller_ids(90)
    if not callers:
        return 0
    return int(storage.add_history(history(now, callers), MARKER, iso(now)))
