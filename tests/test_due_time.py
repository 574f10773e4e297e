"""Callback times as agents type them, parsed against a fixed 'now' (Tue 14 Jan, 10:00)."""

from __future__ import annotations

from datetime import datetime

import pytest

from agent_console.due_time import DueError, describe_due, parse_due

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
