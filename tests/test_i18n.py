"""The Chinese catalogue is complete, compiled and consistent: a new `_()` or `N_()`
string without a translation fails here, so nothing reaches a seat in English by
accident; the language comes from the config, else the locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from agent_console import i18n
from agent_console.actions import CATALOGUE
from agent_console.i18n_extract import msgids_in, msgids_under

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "agent_console/locale/zh_CN/LC_MESSAGES/agent_console.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_msgid_in_the_code_has_a_chinese_translation() -> None:
    in_code = msgids_under(ROOT / "agent_console", ROOT / "screens")
    assert len(in_code) > 300  # the extractor really walked the sources
    translated = i18n.msgids("zh")  # from the compiled .mo the package ships
    missing = {m: where for m, where in in_code.items() if m not in translated}
    assert not missing, "untranslated (run `make i18n`, translate in the .po):\n" + "\n".join(
        f"  {where}: {m!r}" for m, where in sorted(missing.items(), key=lambda i: i[1])
    )


def test_every_action_description_is_in_the_catalogue() -> None:
    translated = i18n.msgids("zh")
    assert [a.id for a in CATALOGUE if a.description not in translated] == []


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    with PO.open("rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id}
    with MO.open("rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert mo == po


def test_translations_keep_every_placeholder() -> None:
    with PO.open("rb") as f:
        bad = [
            (m.id, m.string)
            for m in read_po(f)
            if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
        ]
    assert bad == []


def test_extractor_finds_calls_inside_f_strings_and_noop_markers() -> None:
    source = 'x = f"{_(\'Account\')}: {n}"\nY = N_("Later")\nz = _(name)\n'
    assert [(line, m) for line, _f, m in msgids_in(source)] == [(1, "Account"), (2, "Later")]


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [
        ("auto", {"LANG": "zh_CN.UTF-8"}, "zh"),
        ("auto", {"LANG": "en_GB.UTF-8"}, "en"),
        ("auto", {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ("auto", {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ("auto", {}, "en"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("zh", {"LANG": "C"}, "zh"),
    ],
)
def test_language_from_config_else_locale(
    setting: str, env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.detect(setting) == expected


def test_set_language_translates_and_falls_back_to_english() -> None:
    i18n.set_language("zh")
    assert i18n._("Directory") == "查号"
    assert i18n._("not a msgid") == "not a msgid"
    i18n.set_language("fr")
    assert i18n.language() == "en" and i18n._("Directory") == "Directory"


def test_shown_text_maps_back_to_the_heading_msgid() -> None:
    back = i18n.back_to_msgids("zh")
    assert back["查号"] == "Directory"
    assert back["姓名"] == "Name"  # "name" (a match kind) shares it; the heading wins


def test_help_names_every_scope() -> None:
    from agent_console.screens.help import scope_label

    i18n.set_language("zh")
    assert [s for s in {a.scope for a in CATALOGUE} if scope_label(s) == s] == []
