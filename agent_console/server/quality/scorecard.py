"""The review scorecard as data (demo_data/scorecard.toml), read strictly: a wrong
field, a missing label or an unknown key stops the server with the file and line.

The server keeps its own small reader (it never imports the console's tomlspan): the
line of an item is found from the `[[item]]` headers in the text, and of a key from
its `key =` line inside that item."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NoReturn, cast

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE = "scorecard.toml"
ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
SKILL = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_KEYS = frozenset({"id", "label", "max", "trains"})


class ScorecardError(ValueError):
    """A scorecard file that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class ScoreItem:
    id: str
    label_en: str
    label_zh: str
    max: int
    trains: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": {"en": self.label_en, "zh": self.label_zh},
            "max": self.max,
            "trains": list(self.trains),
        }


def _lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """(header line, key -> line) of each [[item]] in the text."""
    out: list[tuple[int, dict[str, int]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped == "[[item]]":
            out.append((number, {}))
        elif out and (m := re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped)):
            out[-1][1].setdefault(m.group(1), number)
    return out


def parse_scorecard(text: str, name: str = FILE) -> tuple[ScoreItem, ...]:
    """The items of a scorecard file, or ScorecardError("name:line: what is wrong")."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"{name}: {exc}") from None
    extra = sorted(set(data) - {"item"})
    if extra:
        raise ScorecardError(f"{name}: unknown table or key {extra[0]!r} (only [[item]])")
    raw: Any = data.get("item")
    if not isinstance(raw, list) or not raw:
        raise ScorecardError(f"{name}: no [[item]] tables")
    places = _lines(text)
    items: list[ScoreItem] = []
    for index, entry in enumerate(cast("list[Any]", raw)):
        header, keys = places[index] if index < len(places) else (0, {})

        def fail(
            key: str, message: str, header: int = header, keys: dict[str, int] = keys
        ) -> NoReturn:
            raise ScorecardError(f"{name}:{keys.get(key, header)}: {message}")

        if not isinstance(entry, dict):
            fail("", "an item must be a [[item]] table")
        found = _item(cast("dict[str, Any]", entry), fail)
        if any(i.id == found.id for i in items):
            fail("id", f"item {found.id!r} appears twice")
        items.append(found)
    return tuple(items)


def _item(entry: dict[str, Any], fail: Callable[[str, str], NoReturn]) -> ScoreItem:
    """One [[item]] table checked field by field (`fail` names the key's line)."""
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        fail(unknown[0], f"unknown key {unknown[0]!r}; an item has {', '.join(sorted(_KEYS))}")
    ident: Any = entry.get("id")
    if not isinstance(ident, str) or not ID.match(ident):
        fail("id", "id must be lower-case letters, digits and _ (up to 32)")
    label: Any = entry.get("label")
    if not isinstance(label, dict) or set(cast("dict[str, Any]", label)) != {"en", "zh"}:
        fail("label", 'label must be { en = "...", zh = "..." }')
    en, zh = cast("dict[str, Any]", label)["en"], cast("dict[str, Any]", label)["zh"]
    if not (isinstance(en, str) and en.strip() and isinstance(zh, str) and zh.strip()):
        fail("label", "label's en and zh must be non-empty text")
    top: Any = entry.get("max")
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 10:
        fail("max", "max must be a whole number from 1 to 10")
    trains: Any = entry.get("trains", [])
    skills = cast("list[Any]", trains) if isinstance(trains, list) else None
    if skills is None or not all(isinstance(x, str) and SKILL.match(x) for x in skills):
        fail("trains", "trains must be a list of practice skill names")
    return ScoreItem(ident, en, zh, top, tuple(str(x) for x in skills))


@lru_cache(maxsize=1)
def default_scorecard() -> tuple[ScoreItem, ...]:
    """The shipped scorecard (read once; a bad file stops the server starting)."""
    path = resources.files("agent_console.server").joinpath("demo_data").joinpath(FILE)
    return parse_scorecard(path.read_text(encoding="utf-8"), f"demo_data/{FILE}")


def item(item_id: str) -> ScoreItem | None:
    return next((i for i in default_scorecard() if i.id == item_id), None)
