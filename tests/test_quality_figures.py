"""The quality figures (server/quality/figures.py) from a small set of facts whose every
figure is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from agent_console.server.quality.figures import (
    TicketFact,
    acw_spans,
    called_back_at,
    figures,
    period_of,
    repeated,
)

UTC = timezone.utc
CST = timezone(timedelta(hours=8))  # the centre's clock: UTC+8
AGENTS = {
    "a1": {"agent_no": "1001", "name": "Ann", "team": "A"},
    "a2": {"agent_no": "1002", "name": "Bo", "team": "A"},
    "b1": {"agent_no": "1003", "name": "Cy", "team": "B"},
}


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_period_is_the_local_day_or_its_monday() -> None:
    # 2026-03-03T17:00Z is 01:00 on Wednesday 4 March in UTC+8.
    assert period_of(t("2026-03-03T17:00:00Z"), "day", CST) == date(2026, 3, 4)
    assert period_of(t("2026-03-03T17:00:00Z"), "day", UTC) == date(2026, 3, 3)
    assert period_of(t("2026-03-03T17:00:00Z"), "week", CST) == date(2026, 3, 2)
    assert period_of(t("2026-03-08T15:59:00Z"), "week", CST) == date(2026, 3, 2)  # Sun 23:59
    assert period_of(t("2026-03-08T16:00:00Z"), "week", CST) == date(2026, 3, 9)  # Mon 00:00


def test_after_call_work_lasts_until_the_next_state_change() -> None:
    log = [
        {"agent_id": "a1", "state": "on_call", "at": "2026-03-02T01:00:00Z"},
        {"agent_id": "a1", "state": "acw", "at": "2026-03-02T01:05:00Z"},
        {"agent_id": "a1", "state": "ready", "at": "2026-03-02T01:05:40Z"},  # 40 s
        {"agent_id": "a1", "state": "acw", "at": "2026-03-02T02:00:00Z"},
        {"agent_id": "a1", "state": "acw", "at": "2026-03-02T02:00:20Z"},  # 20 s, new stretch
        {"agent_id": "a1", "state": "not_ready", "at": "2026-03-02T02:01:00Z"},  # 40 s
        {"agent_id": "a2", "state": "acw", "at": "2026-03-02T03:00:00Z"},  # still open
    ]
    spans = acw_spans(log)
    assert [(a, s) for a, _, s in spans] == [("a1", 40.0), ("a1", 20.0), ("a1", 40.0)]


def test_called_back_is_the_first_move_or_reached_call() -> None:
    moves = [(t("2026-03-02T05:00:00Z"), "resolved"), (t("2026-03-02T09:00:00Z"), "called_back")]
    assert called_back_at(moves, []) == t("2026-03-02T09:00:00Z")
    assert called_back_at(moves, [t("2026-03-02T08:00:00Z")]) == t("2026-03-02T08:00:00Z")
    assert called_back_at(moves[:1], []) is None


def test_a_repeat_is_the_same_caller_and_category_within_seven_days() -> None:
    def tk(i: int, caller: int | None, cat: str, at: str) -> TicketFact:
        return TicketFact(i, "a1", caller, cat, t(at))

    tickets = [
        tk(1, 7, "heat.cold", "2026-03-02T01:00:00Z"),
        tk(2, 7, "heat.cold", "2026-03-09T01:00:00Z"),  # exactly 7 days: 1 repeated
        tk(3, 7, "heat.cold", "2026-03-16T01:00:01Z"),  # 7 days + 1 s after 2: 2 is not
        tk(4, 7, "heat.leak", "2026-03-03T01:00:00Z"),  # another issue: not a repeat of 1
        tk(5, 8, "heat.cold", "2026-03-03T01:00:00Z"),  # another caller
        tk(6, None, "heat.cold", "2026-03-02T02:00:00Z"),  # no known caller
        tk(7, None, "heat.cold", "2026-03-02T03:00:00Z"),
    ]
    assert repeated(tickets) == {1}


def test_the_figures_per_agent_and_team_by_day_and_week() -> None:
    # Local days (UTC+8) 2 and 3 March 2026 (Monday, Tuesday).
    calls = [
        # a1 on the 2nd: talks of 120 s and 60 s -> aht 90, calls 2
        {
            "agent_id": "a1",
            "answered_at": "2026-03-02T01:00:00Z",
            "ended_at": "2026-03-02T01:02:00Z",
        },
        {
            "agent_id": "a1",
            "answered_at": "2026-03-02T02:00:00Z",
            "ended_at": "2026-03-02T02:01:00Z",
        },
        # a1 on the 3rd local (17:00Z on the 2nd = 01:00 on the 3rd): 300 s, and one
        # still going (counted as a call, no talk time yet)
        {
            "agent_id": "a1",
            "answered_at": "2026-03-02T17:00:00Z",
            "ended_at": "2026-03-02T17:05:00Z",
        },
        {"agent_id": "a1", "answered_at": "2026-03-02T18:00:00Z", "ended_at": None},
        # a2 on the 2nd: 30 s
        {
            "agent_id": "a2",
            "answered_at": "2026-03-02T03:00:00Z",
            "ended_at": "2026-03-02T03:00:30Z",
        },
        # before the range (1 March local) and an unknown agent: left out
        {
            "agent_id": "a1",
            "answered_at": "2026-03-01T15:00:00Z",
            "ended_at": "2026-03-01T15:01:00Z",
        },
        {
            "agent_id": "zz",
            "answered_at": "2026-03-02T03:00:00Z",
            "ended_at": "2026-03-02T03:01:00Z",
        },
    ]
    log = [
        {"agent_id": "a1", "state": "acw", "at": "2026-03-02T01:02:00Z"},
        {"agent_id": "a1", "state": "ready", "at": "2026-03-02T01:02:30Z"},  # 30 s on the 2nd
        {"agent_id": "a1", "state": "acw", "at": "2026-03-02T02:01:00Z"},
        {"agent_id": "a1", "state": "ready", "at": "2026-03-02T02:02:00Z"},  # 60 s on the 2nd
        {"agent_id": "b1", "state": "acw", "at": "2026-03-02T17:10:00Z"},
        {"agent_id": "b1", "state": "ready", "at": "2026-03-02T17:12:00Z"},  # 120 s on the 3rd
    ]
    tickets = [
        # a1: closed on the 2nd with 4, and on the 3rd with 5 and 2
        TicketFact(
            1,
            "a1",
            7,
            "heat.cold",
            t("2026-03-02T01:01:00Z"),
            closed_at=t("2026-03-02T06:00:00Z"),
            satisfaction=4,
            callback_due=t("2026-03-02T08:00:00Z"),
            called_back_at=t("2026-03-02T06:00:00Z"),
        ),  # on time (due the 2nd)
        TicketFact(
            2,
            "a1",
            8,
            "heat.leak",
            t("2026-03-02T02:00:30Z"),
            closed_at=t("2026-03-03T02:00:00Z"),
            satisfaction=5,
            callback_due=t("2026-03-02T09:00:00Z"),
            called_back_at=t("2026-03-02T09:00:01Z"),
        ),  # 1 s late (due the 2nd)
        TicketFact(
            3,
            "a1",
            7,
            "heat.cold",
            t("2026-03-03T03:00:00Z"),  # caller 7 again: 1 repeats
            closed_at=t("2026-03-03T04:00:00Z"),
            satisfaction=2,
            callback_due=t("2026-03-03T05:00:00Z"),
        ),  # due the 3rd, never called back
        # a2: a ticket without a known caller (no FCR figure), a callback due on the 2nd
        # done exactly at the due time (on time)
        TicketFact(
            4,
            "a2",
            None,
            "heat.cold",
            t("2026-03-02T03:00:10Z"),
            callback_due=t("2026-03-02T10:00:00Z"),
            called_back_at=t("2026-03-02T10:00:00Z"),
        ),
        # b1: closed on the 3rd with 3
        TicketFact(
            5,
            "b1",
            9,
            "heat.cold",
            t("2026-03-02T17:05:00Z"),
            closed_at=t("2026-03-02T18:00:00Z"),
            satisfaction=3,
        ),
        # a ticket after the range (a repeat source would count, it does not itself)
        TicketFact(6, "a1", 9, "heat.cold", t("2026-03-05T00:00:00Z")),
    ]
    common = {
        "agents": AGENTS,
        "calls": calls,
        "state_log": log,
        "tickets": tickets,
        "first": date(2026, 3, 2),
        "last": date(2026, 3, 3),
        "tz": CST,
    }

    rows = figures(by="day", group="agent", **common)
    got = {(r["period"], r["agent_id"]): r for r in rows}
    assert sorted(got) == [
        ("2026-03-02", "a1"),
        ("2026-03-02", "a2"),
        ("2026-03-03", "a1"),
        ("2026-03-03", "b1"),
    ]
    a1_2 = got[("2026-03-02", "a1")]
    assert (a1_2["agent_no"], a1_2["name"], a1_2["team"]) == ("1001", "Ann", "A")
    assert a1_2["calls"] == 2 and a1_2["aht_s"] == 90.0 and a1_2["acw_s"] == 45.0
    assert a1_2["satisfaction"] == 4.0 and a1_2["satisfaction_n"] == 1
    assert (a1_2["callbacks_due"], a1_2["callbacks_on_time"]) == (2, 1)
    assert a1_2["callbacks_on_time_share"] == 0.5
    # tickets 1 and 2 created on the 2nd with callers; 1 repeated (3 came 26 h later)
    assert (a1_2["repeat_7d"], a1_2["fcr"]) == (1, 0.5)
    a1_3 = got[("2026-03-03", "a1")]
    assert a1_3["calls"] == 2 and a1_3["aht_s"] == 300.0 and a1_3["acw_s"] is None
    assert a1_3["satisfaction"] == 3.5 and a1_3["satisfaction_n"] == 2  # (5 + 2) / 2
    assert (a1_3["callbacks_due"], a1_3["callbacks_on_time"]) == (1, 0)
    assert (a1_3["repeat_7d"], a1_3["fcr"]) == (0, 1.0)  # ticket 3 not repeated
    a2 = got[("2026-03-02", "a2")]
    assert a2["calls"] == 1 and a2["aht_s"] == 30.0 and a2["satisfaction"] is None
    assert (a2["callbacks_due"], a2["callbacks_on_time"], a2["callbacks_on_time_share"]) == (
        1,
        1,
        1.0,
    )
    assert a2["fcr"] is None and a2["repeat_7d"] == 0
    b1 = got[("2026-03-03", "b1")]
    assert b1["acw_s"] == 120.0 and b1["satisfaction"] == 3.0 and b1["calls"] == 0

    weekly = figures(by="week", group="team", **common)
    assert [(r["period"], r["team"]) for r in weekly] == [("2026-03-02", "A"), ("2026-03-02", "B")]
    team_a = weekly[0]
    assert team_a["agent_id"] is None and team_a["name"] is None
    # team A = a1 and a2 over both days: 5 calls, talks 120, 60, 300, 30 -> 127.5
    assert team_a["calls"] == 5 and team_a["aht_s"] == 127.5
    assert team_a["acw_s"] == 45.0  # 30 and 60
    assert team_a["satisfaction"] == 3.67 and team_a["satisfaction_n"] == 3  # 11 / 3
    assert (team_a["callbacks_due"], team_a["callbacks_on_time"]) == (4, 2)
    assert (team_a["repeat_7d"], team_a["fcr"]) == (1, 0.6667)  # 3 tickets with callers
