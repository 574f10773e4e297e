"""Type-to-filter over the category tree: Chinese substrings, initials, English, ids."""

from __future__ import annotations

from agent_console.category_filter import filter_categories, flatten
from agent_console.models import Category


def tree() -> list[Category]:
    def node(id_: str, zh: str, en: str, ini: str, *kids: Category) -> Category:
        return Category(id_, zh, en, children=kids, initials=ini)

    return [
        node(
            "heat",
            "供热",
            "Heating",
            "gr",
            node(
                "heat.leak",
                "跑水漏水",
                "Leaks",
                "psls",
                node("heat.leak.in_flat", "户内跑水", "Leak in the flat", "hnps"),
                node("heat.leak.network", "管网漏水", "Network leak", "gwls"),
            ),
            node("heat.no_heat", "不热", "Not warm", "br"),
        ),
        node("tel", "电信", "Telecom", "dx", node("tel.fault", "故障", "Fault", "gz")),
    ]


def ids(query: str) -> list[str]:
    return [e.id for e in filter_categories(flatten(tree()), query)]


def test_paths_are_flattened_root_first() -> None:
    entries = {e.id: e for e in flatten(tree())}
    assert entries["heat.leak.in_flat"].label == "供热 › 跑水漏水 › 户内跑水"
    assert entries["heat.leak.in_flat"].leaf and not entries["heat.leak"].leaf


def test_chinese_substring_finds_the_leaf_first() -> None:
    assert ids("跑水")[0] == "heat.leak.in_flat"
    assert ids("漏水")[:2] == ["heat.leak.network", "heat.leak"]


def test_pinyin_initials_and_english_names() -> None:
    assert ids("hnps") == ["heat.leak.in_flat"]
    assert ids("network") == ["heat.leak.network"]
    assert ids("leak")[0] == "heat.leak.in_flat"  # leaves before their parent


def test_every_word_must_match_and_nothing_matches_nothing() -> None:
    assert ids("供热 不热") == ["heat.no_heat"]
    assert ids("电信 跑水") == []
    assert len(ids("")) == 7
