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
