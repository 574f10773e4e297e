"""The one translation layer: every UI string goes through `_` (gettext).

Source strings are English msgids; catalogues in agent_console/locale make a second
language data, not code. The language comes from the config, else the locale.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "agent_console"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")

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


def set_language(language: str) -> None:
    global _translation, _language
    _language = language if language in LANGUAGES else "en"
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True
    )


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)
