"""Line breaking the console does itself (agent_console/linebreak.py): by cells, with
the indent kept on wrapped lines, and the Chinese rules for punctuation."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from agent_console.linebreak import CLOSING, OPENING, break_lines, shorten, wrap

ADDRESS = "为了准确查到您家，请您说一下户主姓名和详细地址：哪个小区、几号楼、几单元、门牌号是多少？"
GREETING = "Hello, Chengfa customer service, agent 1001 speaking. How may I help you?"


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("width", range(4, 80))
def test_no_line_starts_with_closing_or_ends_with_opening_and_nothing_is_lost(width: int) -> None:
    for text in (ADDRESS, "（注意）一定要「先问地址」再派单。好的。", GREETING):
        lines = break_lines(text, width)
        assert squeeze("".join(lines)) == squeeze(text)
        for line in lines:
            assert cell_len(line) <= width, (width, line)
            assert line[:1] not in CLOSING, (width, lines)
            assert line[-1:] not in OPENING, (width, lines)


def test_the_address_line_that_was_broken_before_its_comma() -> None:
    # Textual broke this at 72 cells as "…几单元" / "、门牌号是多少？".
    assert break_lines(ADDRESS, 72) == [
        "为了准确查到您家，请您说一下户主姓名和详细地址：哪个小区、几号楼、几单",
        "元、门牌号是多少？",
    ]


def test_english_breaks_between_words_and_keeps_the_last_one() -> None:
    assert wrap(GREETING, 76, "    ") == [
        "    Hello, Chengfa customer service, agent 1001 speaking. How may I help",
        "    you?",
    ]


def test_wrapped_lines_keep_the_bullets_indent() -> None:
    assert wrap("step 1 then the other thing", 14, "· ") == [
        "· step 1 then",
        "  the other",
        "  thing",
    ]
    assert wrap("par 75 s", 5, "", "  ") == ["par", "  75", "  s"]


def test_a_word_wider_than_the_line_is_folded() -> None:
    assert break_lines("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]


def test_paragraphs_and_empty_text() -> None:
    assert break_lines("", 10) == [""]
    assert wrap("a\nb", 10, "> ") == ["> a", "  b"]


def test_a_no_break_space_holds_words_together() -> None:
    assert break_lines("title · step\u00a012", 12) == ["title ·", "step\u00a012"]
    # Beside Chinese too, where each character is a unit of its own ("标准 / 150 秒"
    # in the practice menu): the characters on both sides of it stay together.
    par = "标准\u00a0150\u00a0秒"
    assert break_lines("捡到钱包：细心记录找线索 " + par, 30) == [
        "捡到钱包：细心记录找线索 标",
        "准\u00a0150\u00a0秒",
    ]


def test_shorten_shows_that_it_cut() -> None:
    help_text = "Callback due: 2h · 30m · 18:00 · tomorrow 9 · 明天9点"
    assert shorten(help_text, 200) == help_text
    assert shorten(help_text, 40) == "Callback due: 2h · 30m · 18:00…"
    assert cell_len(shorten("明天9点以后再打给我", 7)) <= 7
    assert shorten("明天9点以后再打给我", 7).endswith("…")
