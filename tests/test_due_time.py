"""Callback times as agents type them, parsed against a fixed 'now' (Tue 14 Jan, 10:00)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from agent_console import i18n
from agent_console.due_time import DueError, describe_due, parse_due
from agent_console.timefmt import note_times

NOW = datetime(2025, 1, 14, 10, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", datetime(2025, 1, 14, 12, 0)),
        ("30m", datetime(2025, 1, 14, 10, 30)),
        ("1h30m", datetime(2025, 1, 14, 11, 30)),
        ("18:00", datetime(2025, 1, 14, 18, 0)),
        ("9", datetime(2025, 1, 15, 9, 0)),  # 9 o'clock has passed today: tomorrow
        ("tomorrow 9", datetime(2025, 1, 15, 9, 0)),
        ("Tomorrow 9:30", datetime(2025, 1, 15, 9, 30)),
        ("tomorrow", datetime(2025, 1, 15, 9, 0)),
        ("明天9点", datetime(2025, 1, 15, 9, 0)),
        ("明天下午3点", datetime(2025, 1, 15, 15, 0)),
        ("今天十八点半", datetime(2025, 1, 14, 18, 30)),
        ("后天10点", datetime(2025, 1, 16, 10, 0)),
        ("2小时", datetime(2025, 1, 14, 12, 0)),
        ("mon 9", datetime(2025, 1, 20, 9, 0)),
    ],
)
def test_what_agents_type(text: str, expected: datetime) -> None:
    assert parse_due(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "明天下雨", "9:75"])
def test_what_is_not_understood_says_how(text: str) -> None:
    with pytest.raises(DueError, match="2h"):
        parse_due(text, NOW)


def test_description_says_when_and_how_long() -> None:
    assert describe_due(datetime(2025, 1, 14, 12, 30), NOW) == "12:30 (in 2 h 30 min)"
    assert describe_due(datetime(2025, 1, 14, 9, 40), NOW) == "09:40 (overdue 20 min)"
    assert describe_due(datetime(2025, 1, 15, 9, 0), NOW).endswith("09:00 (in 23 h)")


def test_description_in_chinese_has_no_english_left() -> None:
    """F7 in Chinese showed 'Mon 12-07 09:00（21 h 42 min后）': the weekday and the units
    are the agent's language too."""
    i18n.set_language("zh")
    try:
        later = describe_due(datetime(2025, 1, 15, 9, 0), NOW)
        assert later == "周三 01-15 09:00（23 小时后）"
        assert describe_due(datetime(2025, 1, 14, 12, 30), NOW) == "12:30（2 小时 30 分钟后）"
        assert describe_due(datetime(2025, 1, 20, 9, 0), NOW) == "周一 01-20 09:00（5 天后）"
        assert describe_due(datetime(2025, 1, 14, 9, 40), NOW) == "09:40（已超时 20 分钟）"
    finally:
        i18n.set_language("en")
    assert describe_due(datetime(2025, 1, 15, 9, 0), NOW) == "Wed 01-15 09:00 (in 23 h)"


def test_note_stamps_read_as_local_times_in_the_agent_language() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)  # 20:00 at UTC+8
    notes = "\n".join(
        [
            "[2026-12-06T11:16:09Z 1001] caller rang again",
            "free text [x]",
            "[2026-12-05T08:00:00Z 9001] ok",
            "[2026-11-30T23:05:00Z 1002] sent",
        ]
    )
    zone = timezone(timedelta(hours=8))
    shown = note_times(notes, now, zone)
    assert shown.split("\n") == [
        "[19:16 · 1001] caller rang again",
        "free text [x]",
        "[yesterday 16:00 · 9001] ok",
        "[12-01 07:05 · 1002] sent",
    ]
    i18n.set_language("zh")
    try:
        assert note_times(notes, now, zone).split("\n")[2:] == [
            "[昨天 16:00 · 9001] ok",
            "[12月01日 07:05 · 1002] sent",
        ]
    finally:
        i18n.set_language("en")
    assert note_times("[not-a-time 1001] x", now, zone) == "[not-a-time 1001] x"
