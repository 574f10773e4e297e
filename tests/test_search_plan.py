"""Which probes a typed query runs, in which order (no database needed)."""

from __future__ import annotations

from agent_console.server.search_plan import Probe, plan_callers, plan_directory
from agent_console.server.textkeys import fts_phrase, pinyin_initials, spaced_cjk


def kinds(probes: list[Probe]) -> list[tuple[str, str]]:
    return [(p.kind, p.how) for p in probes]


def test_full_mobile_number_is_an_exact_phone_first() -> None:
    assert kinds(plan_callers("139 0471 1234"))[0] == ("phone", "exact")


def test_four_digits_are_read_as_last_digits_before_a_number_start() -> None:
    assert kinds(plan_callers("1234")) == [
        ("phone_suffix", "suffix"),
        ("phone_prefix", "prefix"),
        ("account", "prefix"),
    ]


def test_seven_digits_are_read_as_a_number_start_first() -> None:
    order = kinds(plan_callers("1390471"))
    assert order.index(("phone_prefix", "prefix")) < order.index(("phone_suffix", "suffix"))


def test_two_digits_are_too_few_to_search() -> None:
    assert plan_callers("13") == []


def test_letters_try_pinyin_initials_first() -> None:
    assert kinds(plan_callers("wf"))[0] == ("initials", "prefix")


def test_chinese_text_searches_name_compound_and_address_by_substring() -> None:
    assert kinds(plan_callers("如意")) == [
        ("name", "prefix"),
        ("name", "fts"),
        ("compound", "fts"),
        ("address", "fts"),
    ]


def test_directory_digits_probe_the_number() -> None:
    assert kinds(plan_directory("10086"))[0] == ("number_suffix", "suffix")


def test_cjk_text_is_indexed_one_character_per_token() -> None:
    assert spaced_cjk("如意小区3号楼") == "如 意 小 区 3 号 楼"
    assert spaced_cjk("Michael Brown") == "michael brown"


def test_fts_phrase_keeps_order_and_prefixes_only_latin_tails() -> None:
    assert fts_phrase("如意") == '"如 意"'
    assert fts_phrase("bleed the rad") == '"bleed the rad"*'
    assert fts_phrase('x" OR "y') == '"x or y"*'
    assert fts_phrase("!!!") is None


def test_pinyin_initials_of_organisations_and_surnames() -> None:
    assert pinyin_initials("北京大学") == "bjdx"
    assert pinyin_initials("中国移动") == "zgyd"
    assert pinyin_initials("曾小贤", person=True) == "zxx"
    assert pinyin_initials("单田芳", person=True) == "stf"
    assert pinyin_initials("Michael Brown", person=True) == "mb"
