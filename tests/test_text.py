"""Untrusted text: control characters out, masks and grouping as agents read them."""

from __future__ import annotations

from agent_console.text import clean, clean_tree, group_digits, mask_id, mask_phone, one_line


def test_clean_strips_c0_del_c1_and_bidi_but_keeps_tab_newline_and_chinese() -> None:
    hostile = "王\x1b]52;c;ZXZpbA==\x07芳\t\n\x7f\x85\u202e\u2066x\r"
    assert clean(hostile) == "王]52;c;ZXZpbA==芳\t\nx"


def test_clean_leaves_markup_characters_alone_for_the_screen_to_render_literally() -> None:
    assert clean("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"


def test_clean_tree_cleans_keys_and_nested_values_only_strings() -> None:
    tree = {"a\x1b": ["b\x07", {"c": "d\u202e"}], "n": 5, "f": None}
    assert clean_tree(tree) == {"a": ["b", {"c": "d"}], "n": 5, "f": None}


def test_one_line_folds_whitespace() -> None:
    assert one_line("a\n\tb   c\x00") == "a b c"


def test_phone_masks_keep_what_an_agent_confirms() -> None:
    assert mask_phone("13904711234") == "139****1234"
    assert mask_phone("0471-6512345") == "0471-***2345"
    assert mask_phone("10086") == "10086"


def _mask_phone_by_character(phone: str) -> str:
    """mask_phone's rule applied character by character, as it was written first."""
    area, sep, local = phone.rpartition("-")
    if not sep:
        area, local = "", phone
    digits = [i for i, ch in enumerate(local) if ch.isdigit()]
    if len(digits) < 7 and not sep:
        return phone
    keep = set(digits[-4:]) | (set(digits[:3]) if not sep else set[int]())
    masked = "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(local))
    return f"{area}{sep}{masked}"


def test_phone_masks_of_plain_numbers_follow_the_rule() -> None:
    """The shortcut for all-digit numbers masks as the rule does, for every length,
    with and without an area code, beside numbers the shortcut leaves to the rule."""
    import random

    rng = random.Random(7)
    phones = ["", "-", "0471-", "-1", "1-2", "０４７１-6512345", "139 0471 1234", "+8613904711234"]
    for n in range(13):
        digits = "".join(rng.choice("0123456789") for _ in range(n))
        phones += [digits, f"0471-{digits}", f"{digits}-{digits}", f"a-{digits}", f"{digits}x"]
    for phone in phones:
        assert mask_phone(phone) == _mask_phone_by_character(phone), phone


def test_id_mask_keeps_first_and_last_four() -> None:
    assert mask_id("150102198001011234") == "1501**********1234"
    assert mask_id("E1234567") == "********"
    assert mask_id("C01X7T4K9") == "*******K9"  # a passport: most of it hidden


def test_numbers_grouped_for_reading_aloud() -> None:
    assert group_digits("13904711234") == "139 0471 1234"
    assert group_digits("0471-6512345") == "0471-651 2345"
    assert group_digits("010-62751407") == "010-6275 1407"
    assert group_digits("10086") == "10086"
