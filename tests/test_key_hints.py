"""The key bar's choice of keys and label forms (agent_console/key_hints.py), without a
terminal: the screen keys stay in sight at 80 columns in both languages."""

from __future__ import annotations

from rich.cells import cell_len

from agent_console import i18n
from agent_console.actions import BY_ID, CATALOGUE
from agent_console.key_hints import Hint, Shown, fit_hints, help_order, key_order, shown_width
from agent_console.keymap import default_keys, key_display

LOCAL = ["lookup.clear", "lookup.new_caller"]


def hints(local: list[str], language: str) -> list[Hint]:
    """The lookup screen's hints as the bar builds them: local first, then screen keys."""
    i18n.set_language(language)
    keys = default_keys()
    try:
        screen = sorted(
            (a for a in CATALOGUE if a.scope == "app" and a.show),
            key=lambda a: key_order(keys[a.id]),
        )
        return [
            Hint(
                a.id,
                key_display(keys[a.id]),
                i18n._(a.description),
                i18n._(a.short) if a.short else "",
                a.scope == "app",
            )
            for a in [*(BY_ID[i] for i in local), *screen]
        ]
    finally:
        i18n.set_language("en")


def width(shown: list[Shown]) -> int:
    return sum(shown_width(s) for s in shown)


def test_wide_enough_everything_is_whole() -> None:
    all_hints = hints(LOCAL, "en")
    shown = fit_hints(all_hints, 500)
    assert shown == [Shown(h.key, h.label) for h in all_hints]


def test_at_80_columns_every_screen_key_stays_in_both_languages() -> None:
    for language in ("en", "zh"):
        all_hints = hints(LOCAL, language)
        shown = fit_hints(all_hints, 80)
        keys = [s.key for s in shown]
        for h in all_hints:
            if h.screen:
                assert h.key in keys, (language, h.key)
        assert width(shown) <= 80
        assert [k for k in keys if k.startswith("F")][:4] == ["F1", "F2", "F3", "F4"]


def test_labels_shorten_before_keys_go_bare() -> None:
    all_hints = hints(LOCAL, "en")
    full = width(fit_hints(all_hints, 1000))
    shown = fit_hints(all_hints, full - 1)
    assert all(s.label for s in shown)  # one label shorter, none dropped
    assert any(s.label == h.short for s, h in zip(shown, all_hints, strict=True) if h.short)


def test_a_local_key_is_dropped_before_any_screen_key() -> None:
    all_hints = hints(LOCAL, "zh")
    screen_only = sum(shown_width(Shown(h.key, "")) for h in all_hints if h.screen)
    shown = fit_hints(all_hints, screen_only + 5)  # no room for both local keys
    keys = {s.key for s in shown}
    assert {h.key for h in all_hints if h.screen} <= keys
    assert "Ctrl+N" not in keys  # the local key at the right end went first
    assert width(shown) <= screen_only + 5


def test_chinese_labels_count_two_cells() -> None:
    hint = Hint("x", "F2", "查询", "", True)
    assert shown_width(Shown("F2", "查询")) == 4 + cell_len("查询") + 2 == 10
    assert fit_hints([hint], 10) == [Shown("F2", "查询")]
    assert fit_hints([hint], 9) == [Shown("F2", "")]


def test_help_is_kept_when_nothing_else_fits() -> None:
    all_hints = hints(LOCAL, "en")
    shown = fit_hints(all_hints, 3)
    assert [s.key for s in shown] == ["F1"]


def test_function_keys_sort_by_number() -> None:
    keys = ["f12", "f9", "ctrl+f2", "f10", "escape", "f2", "alt+7,f7", "f1"]
    assert sorted(keys, key=key_order) == [
        "f1",
        "f2",
        "f9",
        "f10",
        "f12",
        "ctrl+f2",
        "alt+7,f7",
        "escape",
    ]


def test_short_labels_are_translated_and_share_no_chinese_with_another_msgid() -> None:
    """A short label's Chinese must not be another msgid's: a label on screen is found
    again by its Chinese when the language changes (i18n.back_to_msgids), and
    "查号" must still go back to "Directory", not to a key-bar abbreviation."""
    i18n.set_language("zh")
    try:
        zh = {m: i18n._(m) for m in i18n.msgids("zh")}
    finally:
        i18n.set_language("en")
    for spec in CATALOGUE:
        if not spec.short:
            continue
        assert spec.short in zh, spec.id
        others = [m for m, t in zh.items() if t == zh[spec.short] and m != spec.short]
        assert others == [], (spec.id, spec.short, others)


def test_help_lists_everywhere_keys_first_in_number_order() -> None:
    keys = default_keys()
    listed = help_order(CATALOGUE, keys)
    assert sorted(a.id for a in listed) == sorted(a.id for a in CATALOGUE)  # every action
    everywhere = [key_display(keys[a.id]) for a in listed if a.scope == "app"]
    assert len(everywhere) == len([a for a in CATALOGUE if a.scope == "app"])
    assert listed[0].scope == "app" and listed[len(everywhere)].scope != "app"
    fkeys = [k for k in everywhere if k[0] == "F"]
    assert fkeys == [f"F{n}" for n in range(1, 13)]
    scopes = [a.scope for a in listed]
    assert all(
        scopes.index(s) + scopes.count(s) - 1 == len(scopes) - 1 - scopes[::-1].index(s)
        for s in set(scopes)
    )  # each screen's actions together
