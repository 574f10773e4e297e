"""The one translation layer: every UI string goes through `_` (gettext).

Source strings are English msgids; catalogues in agent_console/locale make a second
language data, not code (`make i18n` extracts, updates and compiles them with Babel).
The language comes from the config, else the locale, and can change at run time
(`app.language`): text is looked up each time it is shown, so strings that must
survive a switch keep their msgid (`N_`) and translate where they are rendered.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import cast

DOMAIN = "agent_console"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")
#: The catalogue directory of each language (locale/zh_CN/LC_MESSAGES/agent_console.mo).
CATALOGUES = {"zh": "zh_CN"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect(setting: str = "auto") -> str:
    """The language to use: the setting, else LC_ALL / LC_MESSAGES / LANG (zh_* -> zh)."""
    if setting in LANGUAGES:
        return setting
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (English: the msgids themselves)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[CATALOGUES.get(language, language)], fallback=True
    )


def set_language(language: str) -> None:
    """Switch every later `_()` to `language`; unknown names mean English."""
    global _translation, _language
    _language = language if language in LANGUAGES else "en"
    _translation = catalogue(_language)


def language() -> str:
    return _language


def other_language() -> str:
    """The language the switch key goes to: the other of the two."""
    return "en" if _language == "zh" else "zh"


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for `n` ("1 hit" / "2 hits"; Chinese has one form):
    counted text never says "1 hits" nor "hit(s)". Extracted as a plural msgid."""
    return _translation.ngettext(singular, plural, n)


def sentences(*parts: str) -> str:
    """Sentences one after the other: a space after an English one, none after a
    Chinese full stop (`登录已失效。 请重新登录` has a gap a Chinese reader sees)."""
    out = ""
    for part in filter(None, parts):
        out += part if not out or out[-1] in "。！？；：，" else " " + part
    return out


def labelled(label: str, value: str) -> str:
    """ "Label: value" with the language's colon: Chinese takes a full-width one
    (`来电人：王芳`, not `来电人: 王芳`). `label` is already translated."""
    return _("{label}: {value}").format(label=label, value=value)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it now (gettext_noop): for
    strings defined at import time and translated where they are shown."""
    return message


def msgids(language: str = "zh") -> set[str]:
    """Every msgid the compiled catalogue of `language` has a translation for."""
    tr = catalogue(language)
    table: dict[object, str] = getattr(tr, "_catalog", {})
    found: set[str] = set()
    for key, value in table.items():
        # A plural message is keyed by (singular msgid, form index).
        msgid: object = cast("tuple[object, ...]", key)[0] if isinstance(key, tuple) else key
        if isinstance(msgid, str) and msgid and value:
            found.add(msgid)
    return found


def back_to_msgids(language: str) -> dict[str, str]:
    """Shown text in `language` -> its msgid: how labels already on screen are found
    again when the language changes (the msgid itself also maps to itself). Where two
    msgids share a translation ("Name", "name" -> 姓名), the heading-like one wins: a
    capital first, then the shorter."""
    tr = catalogue("zh")
    table: dict[object, str] = getattr(tr, "_catalog", {})  # plurals: (msgid, n) keys
    ids = [k for k in table if isinstance(k, str) and k]
    if language == "en":
        return {m: m for m in ids}
    ids.sort(key=lambda m: (not m[:1].isupper(), len(m), m), reverse=True)
    return {table[m]: m for m in ids if table[m]}
