"""The reassign picker's filter (agent_console/seat_hand.py), without a terminal: a few
letters or digits of a name, a number or a station narrow a centre's hundred agents."""

from __future__ import annotations

from agent_console.seat_hand import filter_targets, reassign_targets

SEATS = [
    ("1001", "1001", "李静", "agent"),
    ("1002", "1002", "高雅琴", "agent"),
    ("2001", "2001", "Trainee Tom", "trainee"),
    ("1100", "1100", "Chen Jing", "agent"),
    ("9001", "9001", "王亚宁", "supervisor"),
]
STATIONS = [("HS-XC", "新城供热运营所"), ("TS-HM", "回民装维站")]
TARGETS = reassign_targets(SEATS, STATIONS)


def values(query: str) -> list[str]:
    return [value for value, _label in filter_targets(TARGETS, query)]


def test_no_query_lists_everyone_who_may_own_a_ticket_and_every_station() -> None:
    assert values("") == values("   ") == [
        "agent:1001", "agent:1002", "agent:1100", "agent:9001", "station:HS-XC", "station:TS-HM",
    ]  # fmt: skip


def test_digits_of_a_number_narrow_the_list_those_starting_with_them_first() -> None:
    assert values("100") == ["agent:1001", "agent:1002", "agent:1100"]
    assert values("00") == ["agent:1001", "agent:1002", "agent:1100", "agent:9001"]
    assert values("1100") == ["agent:1100"]


def test_a_name_a_station_or_several_words_narrow_it_too() -> None:
    assert values("高") == ["agent:1002"]
    assert values("chen") == ["agent:1100"]  # case ignored
    assert values("jing chen") == ["agent:1100"]  # every word, in any order
    assert values("供热") == ["station:HS-XC"]
    assert values("hs-xc") == ["station:HS-XC"]
    assert values("李 1002") == []
    assert values("zzz") == []


def test_a_reassignment_reads_as_words_in_the_ticket_history() -> None:
    """Not the backend's raw change (`reassigned: {'field': 'created_by', ...}`)."""
    from agent_console.models.tickets import TicketEvent
    from agent_console.screens.ticket_detail import event_line

    to_agent = TicketEvent(
        "2026-12-06T14:32:00Z",
        "9001",
        {"reassigned": {"field": "created_by", "from": "9001", "to": "1003"}, "note": ""},
    )
    line = event_line(to_agent)
    assert line.endswith("9001  Reassigned to agent: 9001 → 1003"), line
    to_station = TicketEvent(
        "2026-12-06T14:32:00Z",
        "9001",
        {"reassigned": {"field": "station_id", "from": None, "to": "HS-XC"}, "note": "水管"},
    )
    line = event_line(to_station, {"HS-XC": "新城供热运营所"})
    assert line.endswith("Reassigned to station: – → 新城供热运营所; Note: 水管"), line
