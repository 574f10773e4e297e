"""The wallboard's figures (server/board.py) from hand-made rows, no server: the queue's
service level, abandoned calls and 15-minute slots, each agent's state, calls, average
handling and after-call time, and overdue callbacks by station. Every expectation is
worked out by hand in the comment beside it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from agent_console.server import board
from agent_console.server.clock import iso

START = datetime(2031, 3, 12, 16, 0, tzinfo=timezone.utc)  # a day's start (any instant)
NOW = START + timedelta(hours=9, minutes=40)  # 9:40 into the day


def at(minutes: float) -> str:
    return iso(START + timedelta(minutes=minutes))


def call(
    ident: int,
    started: float,
    answered: float | None = None,
    ended: float | None = None,
    by: str | None = None,
    direction: str = "in",
) -> dict:
    """A call row; times in minutes after the day's start."""
    state = "ringing" if answered is None else "answered"
    if ended is not None:
        state = "ended" if answered is not None else "missed"
    return {
        "id": ident,
        "agent_id": by or "",
        "state": state,
        "direction": direction,
        "started_at": at(started),
        "answered_at": None if answered is None else at(answered),
        "answered_by": by,
        "ended_at": None if ended is None else at(ended),
    }


CALLS = [
    call(1, 540, 540 + 10 / 60, 545, by="1001"),  # 9:00, answered after 10 s
    call(2, 541, 541 + 20 / 60, 550, by="1002"),  # answered after 20 s: within (<=)
    call(3, 542, 542 + 21 / 60, 560, by="9001"),  # after 21 s: not within
    call(4, 556, ended=557),  # 9:16, abandoned
    call(5, 570, 570.5, by="1002"),  # 9:30, answered after 30 s, still talking
    call(6, 579),  # 9:39, ringing for 60 s at NOW
    call(7, 575, 575, 576, by="1001", direction="out"),  # a callback: not in the queue
    call(8, -30, -29, -20, by="1001"),  # yesterday: not today's
]


def test_the_queue_counts_offered_answered_within_the_level_and_abandoned() -> None:
    q = board.queue_figures(CALLS, NOW, START, 20)
    # Inbound today: calls 1-6 (7 is outbound, 8 started before midnight).
    assert q["offered_today"] == 6
    assert q["answered_today"] == 4  # 1, 2, 3, 5
    assert q["answered_within_sl"] == 2  # 1 (10 s) and 2 (20 s); 3 waited 21 s, 5 30 s
    assert q["service_level"] == round(2 / 6, 4)
    assert q["abandoned_today"] == 1  # call 4
    assert (q["ringing"], q["longest_wait_s"]) == (1, 60.0)  # call 6, since 9:39
    # Slots from midnight to 9:30-9:45 (the one holding 9:40): 39 of them.
    slots = q["per_15min"]
    assert len(slots) == 39 and slots[0]["at"] == iso(START)
    assert slots[36] == {"at": at(540), "offered": 3, "answered": 3, "abandoned": 0}
    assert slots[37] == {"at": at(555), "offered": 1, "answered": 0, "abandoned": 1}
    assert slots[38] == {"at": at(570), "offered": 2, "answered": 1, "abandoned": 0}
    assert sum(s["offered"] for s in slots) == 6


def test_a_wider_service_level_and_a_day_without_calls() -> None:
    assert board.queue_figures(CALLS, NOW, START, 30)["answered_within_sl"] == 4
    empty = board.queue_figures([], START + timedelta(minutes=5), START, 20)
    assert empty["service_level"] is None and empty["longest_wait_s"] is None
    assert len(empty["per_15min"]) == 1


def log(agent: str, *changes: tuple[str, float, int | None]) -> list[dict]:
    return [{"agent_id": agent, "state": s, "at": at(m), "call_id": c} for s, m, c in changes]


AGENTS = [
    {"agent_id": a, "agent_no": a, "name": n, "hotline": h, "team": t, "state": s,
     "reason": r, "since": since}
    for a, n, h, t, s, r, since in [
        ("1001", "Li", "961655", "A", "not_ready", "lunch", at(577)),
        ("1002", "Gao", "961655", "B", "ready", "", at(500)),  # on call 5 by CTI
        ("1003", "Su", "114", "A", "ready", "", at(400)),  # call 6 rings here
        ("3001", "Zhao", "10000", "B", "acw", "", at(577)),  # no session: signed out
        ("9001", "Wang", "961655", "A", "ready", "", at(565)),
        ("1004", "Qi", "114", "B", None, None, None),  # never reported: ready
    ]
]  # fmt: skip
LOG = [
    *log("1001", ("on_call", 540, 1), ("acw", 545, 1), ("ready", 547, None),
         ("on_call", 575, 7), ("ready", 576, None), ("not_ready", 577, None)),
    *log("9001", ("on_call", 542.35, 3), ("acw", 560, 3), ("ready", 565, None)),
    *log("1002", ("acw", 550, 2), ("ready", 551, None), ("on_call", 570.5, 5)),
]  # fmt: skip
OVERDUE = [
    {"created_by": "1001", "station_id": "ST01", "callback_due": at(300)},
    {"created_by": "1001", "station_id": "", "callback_due": at(400)},
    {"created_by": "1002", "station_id": "ST01", "callback_due": at(200)},
]


def test_each_agent_row() -> None:
    rows = board.agent_rows(
        AGENTS, CALLS, [(6, "1003"), (6, "1002")], LOG, {"1001", "1002", "1003", "9001", "1004"},
        OVERDUE, START,
    )  # fmt: skip
    by = {r["agent_id"]: r for r in rows}
    li = by["1001"]
    assert (li["state"], li["reason"], li["state_since"]) == ("not_ready", "lunch", at(577))
    # Answered today: call 1 and the outbound 7 (8 was yesterday).
    assert li["calls_today"] == 2
    # One ACW period: 545-547 (call 1), 120 s.
    assert li["acw_s"] == 120.0
    # Handling: call 1 talk 5 min - 10 s = 290 s + 120 s ACW = 410; call 7: 60 s talk,
    # no ACW. Mean 235 s.
    assert li["aht_s"] == 235.0
    assert li["callbacks_overdue"] == 2 and li["call_started_at"] is None
    gao = by["1002"]  # on call 5 (CTI) although its console said ready; ringing too
    assert (gao["state"], gao["state_since"], gao["call_started_at"]) == (
        "on_call", at(570.5), at(570.5)
    )  # fmt: skip
    # Calls 2 (ended, 9 min - 20 s = 520 s talk + 60 s ACW) and 5 (still going).
    assert (gao["calls_today"], gao["aht_s"], gao["acw_s"]) == (2, 580.0, 60.0)
    assert (gao["callbacks_overdue"], gao["team"]) == (1, "B")
    su = by["1003"]
    assert (su["state"], su["state_since"], su["calls_today"]) == ("ringing", at(579), 0)
    assert (su["aht_s"], su["acw_s"]) == (None, None)
    assert by["3001"]["state"] == "signed_out" and by["3001"]["state_since"] is None
    wang = by["9001"]  # call 3: 18 min - 21 s = 1059 s talk + 300 s ACW (560-565)
    assert (wang["state"], wang["state_since"], wang["calls_today"]) == ("ready", at(565), 1)
    assert (wang["aht_s"], wang["acw_s"]) == (1359.0, 300.0)
    assert (by["1004"]["state"], by["1004"]["state_since"]) == ("ready", None)
    assert [r["agent_id"] for r in board.filter_agents(rows, team="A", state="ready")] == ["9001"]
    assert [r["agent_id"] for r in board.filter_agents(rows, hotline="961655")] == [
        "1001", "1002", "9001"
    ]  # fmt: skip


def test_overdue_callbacks_by_station_oldest_first() -> None:
    assert board.overdue_by_station(OVERDUE) == [
        {"station": "ST01", "count": 2, "oldest_due": at(200)},
        {"station": "", "count": 1, "oldest_due": at(400)},
    ]


def test_the_day_starts_at_local_midnight() -> None:
    moment = datetime(2031, 3, 12, 15, 0, tzinfo=timezone.utc)
    start = board.day_start(moment)
    local = start.astimezone()
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert timedelta(0) <= moment - start < timedelta(days=1)
