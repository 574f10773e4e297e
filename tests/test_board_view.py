"""The wallboard's state without a terminal: merging partial events, sorting, filtering,
durations against an injected clock (agent_console/supervision/board_view.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from agent_console.i18n import set_language
from agent_console.supervision.board_view import (
    Board,
    BoardFilter,
    duration,
    offered_series,
    percent,
    state_summary,
    state_text,
    visible_rows,
)

T0 = datetime(2026, 12, 6, 9, 0, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def agent(agent_id: str, no: str, state: str = "ready", **extra: object) -> dict[str, object]:
    return {
        "agent_id": agent_id,
        "agent_no": no,
        "name": f"Agent {no}",
        "hotline": extra.pop("hotline", "12345"),
        "team": extra.pop("team", "A"),
        "state": state,
        "reason": "",
        "state_since": iso(T0),
        "call_started_at": None,
        "calls_today": 0,
        "aht_s": None,
        "acw_s": None,
        "callbacks_overdue": 0,
        **extra,
    }


def document() -> dict[str, object]:
    return {
        "at": iso(T0),
        "service_level_s": 20,
        "agents": [
            agent("a1", "1001", calls_today=5, aht_s=200.0),
            agent("a2", "1002", "on_call", call_started_at=iso(T0), team="B", calls_today=9),
            agent("a3", "1003", "not_ready", reason="lunch", hotline="12319", aht_s=90.5),
        ],
        "queue": {
            "ringing": 2,
            "longest_wait_s": 31.0,
            "offered_today": 40,
            "answered_today": 35,
            "answered_within_sl": 30,
            "service_level": 30 / 35,
            "abandoned_today": 5,
            "per_15min": [
                {"at": iso(T0 + timedelta(minutes=15)), "offered": 7, "answered": 6},
                {"at": iso(T0), "offered": 3, "answered": 3, "abandoned": 0},
            ],
        },
        "hands": [
            {
                "id": "h1",
                "agent_id": "a3",
                "agent_no": "1003",
                "name": "Agent 1003",
                "station": "S1",
                "since": iso(T0),
                "text": "[b]help[/b]",
            }
        ],
        "overdue_callbacks": [{"station": "S2", "count": 3, "oldest_due": iso(T0)}],
    }


def loaded(now: datetime = T0) -> Board:
    board = Board()
    board.load(document(), now)
    return board


def test_a_partial_event_replaces_only_the_agents_and_keys_it_carries() -> None:
    board = loaded()
    changed = board.merge(
        {"at": iso(T0 + timedelta(seconds=5)), "agents": [agent("a1", "1001", "ringing")]},
        T0 + timedelta(seconds=5),
    )
    assert changed == {"a1"}
    assert board.agents["a1"].state == "ringing"
    assert board.agents["a2"].state == "on_call"  # untouched
    assert board.queue.ringing == 2 and len(board.hands) == 1  # keys not sent stay
    changed = board.merge({"queue": {"ringing": 0}, "hands": []}, T0)
    assert changed == {"queue", "hands"}
    assert board.queue.ringing == 0 and board.hands == ()
    assert len(board.overdue) == 1  # not in the event: kept


def test_a_new_agent_in_an_event_joins_the_board() -> None:
    board = loaded()
    board.merge({"agents": [agent("a9", "1009")]}, T0)
    assert set(board.agents) == {"a1", "a2", "a3", "a9"}


def test_durations_count_from_state_since_with_the_injected_clock() -> None:
    set_language("en")
    board = loaded()
    later = T0 + timedelta(minutes=3, seconds=5)
    rows = {r.agent_id: r for r in visible_rows(board, BoardFilter(), "agent_no", False, later)}
    assert state_text(rows["a2"], board.server_now(later)) == "On call 3:05"
    assert state_text(rows["a3"], board.server_now(later)) == "Not ready (lunch) 3:05"


def test_the_servers_clock_counts_not_a_wrong_seat_clock() -> None:
    set_language("en")
    seat_clock = T0 - timedelta(minutes=10)  # the seat's clock is 10 minutes behind
    board = loaded(seat_clock)
    shown = state_text(board.agents["a2"], board.server_now(seat_clock + timedelta(seconds=42)))
    assert shown == "On call 0:42"


def test_sort_by_any_column_either_way() -> None:
    board = loaded()

    def order(key: str, descending: bool = False) -> list[str]:
        rows = visible_rows(board, BoardFilter(), key, descending, T0)
        return [r.agent_no for r in rows]

    assert order("state") == ["1002", "1003", "1001"]  # on call, not ready, ready
    assert order("calls_today", descending=True) == ["1002", "1001", "1003"]
    # An agent without an AHT sorts last whichever way.
    assert order("aht") == ["1003", "1001", "1002"]
    assert order("aht", descending=True) == ["1001", "1003", "1002"]
    assert order("agent_no", descending=True) == ["1003", "1002", "1001"]


def test_filter_by_hotline_team_and_state() -> None:
    board = loaded()

    def shown(f: BoardFilter) -> list[str]:
        return [r.agent_no for r in visible_rows(board, f, "agent_no", False, T0)]

    assert shown(BoardFilter(hotline="12319")) == ["1003"]
    assert shown(BoardFilter(team="A")) == ["1001", "1003"]
    assert shown(BoardFilter(state="on_call")) == ["1002"]
    assert shown(BoardFilter(team="A", state="ready")) == ["1001"]


def test_filter_keys_cycle_through_the_values_on_the_board_and_back_to_all() -> None:
    board = loaded()
    f = BoardFilter()
    seen = []
    for _ in range(3):
        f = f.cycled("hotline", board.choices("hotline"))
        seen.append(f.hotline)
    assert seen == ["12319", "12345", ""]


def test_service_level_as_a_percentage_and_the_sparkline_in_time_order() -> None:
    board = loaded()
    assert percent(board.queue.service_level) == "86%"
    assert percent(None) == "–"
    assert offered_series(board.queue) == [3.0, 7.0]


def test_durations_format() -> None:
    assert duration(7) == "0:07"
    assert duration(750.9) == "12:30"
    assert duration(3723) == "1:02:03"
    assert duration(None) == ""


def test_rubbish_from_the_backend_is_skipped_not_fatal() -> None:
    board = Board()
    board.load(
        {
            "agents": [
                1,
                {"agent_id": ""},
                {"agent_id": "x", "state": "dancing", "calls_today": "lots"},
            ],
            "queue": "nope",
            "hands": None,
        },
        T0,
    )
    assert list(board.agents) == ["x"]
    assert board.agents["x"].state == "signed_out" and board.agents["x"].calls_today == 0
    assert board.hands == ()


def test_hands_keep_their_text_as_given() -> None:
    board = loaded()
    assert board.hands[0].text == "[b]help[/b]" and board.hands[0].place == "S1"


def test_the_longest_wait_grows_with_the_tick_while_calls_ring() -> None:
    board = loaded()
    assert board.longest_wait_s(T0 + timedelta(seconds=4)) == 35.0
    board.merge({"at": iso(T0 + timedelta(seconds=5)), "queue": {"ringing": 0}}, T0)
    assert board.longest_wait_s(T0 + timedelta(seconds=60)) is None


def test_the_grid_fits_80_columns_in_both_languages_and_uses_more_when_wide() -> None:
    from agent_console.supervision.board_columns import WIDE, column_width, columns_for

    for language in ("en", "zh"):
        set_language(language)
        narrow = columns_for(80)
        # content + 2 cells of padding per column + a 2-cell scrollbar
        assert sum(column_width(c) + 2 for c in narrow) + 2 <= 80
        wide = columns_for(WIDE)
        assert len(wide) > len(narrow)
        assert sum(column_width(c) + 2 for c in wide) + 2 <= WIDE <= 140
    set_language("en")


def test_cells_of_a_row_tick_with_the_clock() -> None:
    from agent_console.supervision.board_columns import cell_texts, columns_for

    set_language("en")
    board = loaded()
    now = board.server_now(T0 + timedelta(seconds=65))
    cells = cell_texts(board.agents["a2"], columns_for(80), now)
    assert cells["state"] == "Call 1:05" and cells["call"] == "1:05"
    wide = cell_texts(board.agents["a2"], columns_for(200), now)
    assert wide["state"] == "On call 1:05" and wide["hotline"] == "12345"


def test_a_wide_terminal_gives_its_room_to_the_name_and_the_state() -> None:
    from agent_console.supervision.board_columns import WIDE, columns_for

    at_wide = {c.key: c.width for c in columns_for(WIDE)}
    at_200 = {c.key: c.width for c in columns_for(200)}
    assert at_200["name"] > at_wide["name"] and at_200["state"] > at_wide["state"]
    assert at_200["agent_no"] == at_wide["agent_no"]


def test_a_whole_board_resets_the_clock_an_earlier_one_set() -> None:
    set_language("en")
    board = Board()
    later = T0 + timedelta(hours=17)
    board.load({**document(), "at": iso(later)}, T0)  # a server 17 h ahead of the seat
    board.load(document(), T0)  # then one whose clock was put right
    assert board.server_now(T0) == T0
    assert state_text(board.agents["a2"], board.server_now(T0 + timedelta(seconds=9))) == (
        "On call 0:09"
    )


def test_the_wall_heading_counts_agents_by_state() -> None:
    set_language("en")
    board = loaded()
    board.merge({"agents": [agent("a9", "1009", "on_call")]}, T0)
    assert state_summary(board) == "On call 2 · Not ready 1 · Ready 1"
