"""The Chinese catalogue is complete, compiled and consistent: a new `_()` or `N_()`
string without a translation fails here, so nothing reaches a seat in English by
accident; the language comes from the config, else the locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
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


def _forms(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple (plural messages have several forms)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (str(value),)


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    with PO.open("rb") as f:
        po = {_forms(m.id): _forms(m.string) for m in read_po(f) if m.id}
    with MO.open("rb") as f:
        mo = {_forms(m.id): _forms(m.string) for m in read_mo(f) if m.id}
    assert mo == po


def test_translations_keep_every_placeholder() -> None:
    with PO.open("rb") as f:
        bad = [
            (m.id, m.string)
            for m in read_po(f)
            for msgid in _forms(m.id)
            for text in _forms(m.string)
            if m.id and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
        ]
    assert bad == []


def test_extractor_finds_calls_inside_f_strings_and_noop_markers() -> None:
    source = 'x = f"{_(\'Account\')}: {n}"\nY = N_("Later")\nz = _(name)\n'
    assert [(line, m) for line, _f, m in msgids_in(source)] == [(1, "Account"), (2, "Later")]


def test_extractor_finds_plurals_and_babel_writes_them_as_plural_msgids(tmp_path: Path) -> None:
    source = 'x = ngettext("{n} hit", "{n} hits", n).format(n=n)\ny = ngettext(a, "b", n)\n'
    assert list(msgids_in(source)) == [(1, "ngettext", "{n} hit")]
    # Through Babel as `make i18n` runs it (babel.cfg names this extractor).
    assert "agent_console.i18n_extract:extract" in (ROOT / "babel.cfg").read_text("utf-8")
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    method = "agent_console.i18n_extract:extract"
    found = [m[2] for m in extract_from_dir(str(tmp_path), method_map=[("**.py", method)])]
    assert found == [("{n} hit", "{n} hits")]


def test_plurals_follow_the_count_and_the_language() -> None:
    try:
        assert i18n.ngettext("{n} hand up", "{n} hands up", 1) == "{n} hand up"
        assert i18n.ngettext("{n} hand up", "{n} hands up", 2) == "{n} hands up"
        i18n.set_language("zh")
        assert i18n.ngettext("{n} hand up", "{n} hands up", 1) == "{n} 人举手"
        assert i18n.ngettext("{n} hand up", "{n} hands up", 3) == "{n} 人举手"
        assert "{n} hand up" in i18n.msgids("zh")  # plurals count as translated
    finally:
        i18n.set_language("en")


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
