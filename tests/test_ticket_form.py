"""The ticket form's words and lines, made without a terminal (agent_console/ticket_form.py)."""

from __future__ import annotations

from datetime import datetime

from agent_console import i18n
from agent_console.due_time import HELP, describe_due
from agent_console.models import Caller
from agent_console.server import ticket_flow
from agent_console.ticket_form import (
    GOVERNMENT_SOURCES,
    PRIORITIES,
    SOURCES,
    caller_line,
    due_preview,
    priority_label,
    source_label,
    station_hint,
)

NOW = datetime(2025, 1, 14, 10, 0)


def test_the_forms_choices_are_the_servers() -> None:
    """A choice the server does not know would be refused at every save."""
    assert PRIORITIES == ticket_flow.PRIORITIES
    assert SOURCES == ticket_flow.SOURCES
    assert GOVERNMENT_SOURCES == ticket_flow.GOVERNMENT_SOURCES


def test_every_choice_has_words_and_an_unknown_one_shows_as_it_is() -> None:
    assert all(source_label(s) != s for s in SOURCES if not s.isdigit())
    assert "12345" in source_label("12345") and source_label("12345") != "12345"
    assert priority_label("urgent") == "URGENT"
    assert source_label("fax") == "fax" and priority_label("soon") == "soon"


def test_the_caller_line_names_the_caller_or_says_anonymous() -> None:
    caller = Caller(id=7, name="王芳", phone="138****0000", address="花园路 3 号")
    line = caller_line(caller)
    assert "王芳" in line and "138****0000" in line and "花园路 3 号" in line
    assert "anonymous" in caller_line(None)


def test_the_caller_line_takes_a_full_width_colon_in_chinese() -> None:
    i18n.set_language("zh")
    try:
        assert caller_line(None).startswith("来电人：")  # not "来电人: " (ASCII colon)
    finally:
        i18n.set_language("en")


def test_the_station_hint_adds_the_agents_other_choice() -> None:
    hint = station_hint("North", "compound Garden", None)
    assert "North" in hint and "compound Garden" in hint and "you chose" not in hint
    assert station_hint("North", "compound Garden", "South").endswith("you chose South")


def test_the_due_preview_says_when_or_how_to_type_it() -> None:
    assert due_preview("  ", NOW) == ""
    assert due_preview("2h", NOW) == "→ " + describe_due(datetime(2025, 1, 14, 12, 0), NOW)
    assert due_preview("whenever", NOW) == "? " + HELP
