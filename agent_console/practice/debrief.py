"""The review after hang-up: score against the rubric, time, keystrokes against the
fastest known path, what was missed and why, and the fastest path spelled as keys.

`Debrief.to_json()` is the body of POST /api/v1/practice/results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent_console.i18n import _
from agent_console.practice.engine_io import HintShown
from agent_console.practice.keys import SpelledStep, path_keystrokes, path_text, spell_path
from agent_console.practice.scenario import Bilingual, Scenario

# Why a rubric item was not met (codes: stored on the backend, translated when shown).
NOT_DONE = "not_done"
TOO_LATE = "too_late"
OUT_OF_ORDER = "out_of_order"
FORBIDDEN_DONE = "forbidden_done"


@dataclass(frozen=True)
class ItemResult:
    id: str
    label: str
    weight: int
    skill: str
    met: bool
    at: float | None  # seconds from the start when it was done (None: never)
    took: float | None  # seconds since the step done before it: where time goes
    why: str = ""  # "" when met, else one of the codes above
    limit: float | None = None  # the `within` seconds, for TOO_LATE
    names: Bilingual | None = None  # the label in both languages, to follow a switch

    def label_in(self, language: str) -> str:
        """The label in `language` (the console's, which may have changed since)."""
        return self.names.pick(language) if self.names is not None else self.label

    def why_text(self) -> str:
        if self.why == TOO_LATE and self.at is not None and self.limit is not None:
            return _("done after {at:.0f} s; expected within {limit:.0f} s").format(
                at=self.at, limit=self.limit
            )
        return {
            NOT_DONE: _("not done"),
            OUT_OF_ORDER: _("done, but too late in the call"),
            FORBIDDEN_DONE: _("done, but it should not have been"),
        }.get(self.why, "")


@dataclass(frozen=True)
class Debrief:
    scenario_id: str
    title: str
    hotline: str
    difficulty: int
    score: int  # 0-100: points over the rubric's total
    points: int
    max_points: int
    duration: float
    par_seconds: float
    keystrokes: int
    fastest_keystrokes: int
    fastest: tuple[SpelledStep, ...]
    items: tuple[ItemResult, ...]
    hints: tuple[HintShown, ...]
    hands: int
    timeline: tuple[tuple[float, str, str], ...]
    titles: Bilingual | None = None  # the title in both languages, to follow a switch

    def title_in(self, language: str) -> str:
        """The title in `language` (the console's, which may have changed since)."""
        return self.titles.pick(language) if self.titles is not None else self.title

    @property
    def missed(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if not i.met)

    @property
    def fastest_text(self) -> str:
        return path_text(list(self.fastest))

    @property
    def scripted_hints(self) -> int:
        return sum(1 for h in self.hints if h.source == "scripted")

    @property
    def mentor_hints(self) -> int:
        return sum(1 for h in self.hints if h.source == "mentor")

    def to_json(self, drill_id: str = "") -> dict[str, Any]:
        """The result as the backend stores it (POST /api/v1/practice/results)."""
        return {
            "scenario_id": self.scenario_id,
            "title": self.title,
            "hotline": self.hotline,
            "difficulty": self.difficulty,
            "drill_id": drill_id,
            "score": self.score,
            "duration_s": round(self.duration, 1),
            "par_s": self.par_seconds,
            "keystrokes": self.keystrokes,
            "fastest_keystrokes": self.fastest_keystrokes,
            "hints": self.scripted_hints,
            "mentor_hints": self.mentor_hints,
            "hands": self.hands,
            "items": [
                {
                    "id": i.id,
                    "label": i.label,
                    "skill": i.skill,
                    "weight": i.weight,
                    "met": i.met,
                    "at_s": None if i.at is None else round(i.at, 1),
                    "took_s": None if i.took is None else round(i.took, 1),
                    "why": i.why,
                }
                for i in self.items
            ],
            "timeline": [{"at": at, "kind": kind, "detail": d} for at, kind, d in self.timeline],
        }


def build_debrief(
    scenario: Scenario,
    *,
    met: Mapping[str, float],
    duration: float,
    keystrokes: int,
    hints: tuple[HintShown, ...],
    hands: int,
    timeline: tuple[tuple[float, str, str], ...],
    keymap: Mapping[str, str],
    language: str,
) -> Debrief:
    done = sorted((met[m.id], m.id) for m in scenario.rubric if m.id in met and not m.forbid)
    took: dict[str, float] = {}
    previous = 0.0
    for at, ident in done:
        took[ident] = at - previous
        previous = at
    items: list[ItemResult] = []
    for m in scenario.rubric:
        at = met.get(m.id)
        why = ""
        if m.forbid:
            why = FORBIDDEN_DONE if at is not None else ""
            at = None
        elif at is None:
            why = NOT_DONE
        elif m.within is not None and at > m.within:
            why = TOO_LATE
        elif m.before and met.get(m.before, at) < at:
            why = OUT_OF_ORDER
        label = m.label.pick(language) if m.label else m.id
        items.append(
            ItemResult(
                m.id, label, m.weight, m.skill, not why, at, took.get(m.id), why, m.within, m.label
            )
        )
    points = sum(i.weight for i in items if i.met)
    max_points = scenario.max_score
    return Debrief(
        scenario_id=scenario.id,
        title=scenario.title.pick(language),
        hotline=scenario.hotline,
        difficulty=scenario.difficulty,
        score=round(100 * points / max_points) if max_points else 0,
        points=points,
        max_points=max_points,
        duration=duration,
        par_seconds=scenario.par_seconds,
        keystrokes=keystrokes,
        fastest_keystrokes=path_keystrokes(scenario.fastest),
        fastest=tuple(spell_path(scenario.fastest, keymap)),
        items=tuple(items),
        hints=hints,
        hands=hands,
        timeline=timeline,
        titles=scenario.title,
    )
