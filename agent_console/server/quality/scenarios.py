"""The practice scenarios as the server sees them: which rubric skills each trains, to
offer for a weak scorecard item. The server never imports the console's practice
package; it reads the same shipped TOML files as data and takes only the id, title,
hotline, difficulty and each rubric item's skill (the practice loader's rule, which a
test keeps in step: `skill`, else a script check's stage, else the check's default)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Where the shipped scenarios are (agent_console/practice/scenarios), as files.
FOLDER = Path(__file__).resolve().parents[2] / "practice" / "scenarios"
DEFAULT_SKILL = {
    "caller": "lookup",
    "listing": "directory",
    "article": "knowledge",
    "sms": "sms",
    "ticket": "ticket",
    "said": "advice",
    "screen": "navigation",
}


@dataclass(frozen=True)
class ScenarioInfo:
    id: str
    title_en: str
    title_zh: str
    hotline: str
    difficulty: int
    skills: tuple[str, ...]  # one per rubric item, in file order

    def to_json(self, trains: tuple[str, ...] = ()) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": {"en": self.title_en, "zh": self.title_zh},
            "hotline": self.hotline,
            "difficulty": self.difficulty,
            "skills": sorted({s for s in self.skills if s in trains} if trains else set()),
        }


def rubric_skill(entry: dict[str, Any]) -> str:
    skill = entry.get("skill")
    if isinstance(skill, str) and skill:
        return skill
    check = str(entry.get("check", ""))
    if check == "script":
        return str(entry.get("stage", ""))
    return DEFAULT_SKILL.get(check, check)


def read_scenario(text: str) -> ScenarioInfo | None:
    """The facts of one scenario file; None for a file without an id."""
    data = tomllib.loads(text)
    ident = data.get("id")
    if not isinstance(ident, str) or not ident:
        return None
    raw_title: Any = data.get("title")
    title = cast("dict[str, Any]", raw_title) if isinstance(raw_title, dict) else {}
    raw_rubric: Any = data.get("rubric")
    tables = cast("list[Any]", raw_rubric) if isinstance(raw_rubric, list) else []
    rubric = [cast("dict[str, Any]", r) for r in tables if isinstance(r, dict)]
    return ScenarioInfo(
        ident,
        str(title.get("en") or ident),
        str(title.get("zh") or ""),  # none: the console says the title is English only
        str(data.get("hotline", "")),
        int(data.get("difficulty", 1)),
        tuple(rubric_skill(r) for r in rubric),
    )


@lru_cache(maxsize=1)
def shipped() -> dict[str, ScenarioInfo]:
    """id -> scenario, for every shipped scenario file."""
    out: dict[str, ScenarioInfo] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        info = read_scenario(path.read_text(encoding="utf-8"))
        if info is not None:
            out[info.id] = info
    return out


def training(trains: tuple[str, ...]) -> list[ScenarioInfo]:
    """Scenarios whose rubric has a skill in `trains`: most such rubric items first,
    then the easier, then by id."""
    hits = [(sum(s in trains for s in sc.skills), sc) for sc in shipped().values()]
    hits = [(n, sc) for n, sc in hits if n]
    hits.sort(key=lambda h: (-h[0], h[1].difficulty, h[1].id))
    return [sc for _, sc in hits]
