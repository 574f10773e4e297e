"""The daily 15-minute drill ("five ones": 15 minutes of study a day): an ordered
selection of scenarios at the trainee's level, weighted toward what they missed.

Deterministic: the same scenarios, history and day give the same drill; another day
rotates among equally useful scenarios.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from agent_console.models import PracticeResult
from agent_console.practice.scenario import Scenario

PASS_SCORE = 80  # a difficulty is passed when the latest scores there average this
MASTERED = 95  # scenarios scored this high come back only when nothing else fits


@dataclass(frozen=True)
class PastResult:
    """One earlier practice call, as GET /api/v1/practice/results returns it."""

    scenario_id: str
    score: int
    difficulty: int = 1
    missed_skills: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # every skill the call's rubric had

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PastResult:
        items: list[dict[str, Any]] = d.get("items") or []
        return cls(
            scenario_id=str(d.get("scenario_id", "")),
            score=int(d.get("score") or 0),
            difficulty=int(d.get("difficulty") or 1),
            missed_skills=tuple(str(i.get("skill", "")) for i in items if not i.get("met")),
            skills=tuple(str(i.get("skill", "")) for i in items),
        )

    @classmethod
    def from_result(cls, r: PracticeResult) -> PastResult:
        """From the client's model (BackendClient.practice_results)."""
        return cls(
            scenario_id=r.scenario_id,
            score=r.score,
            difficulty=r.difficulty,
            missed_skills=tuple(i.skill for i in r.items if not i.met),
            skills=tuple(i.skill for i in r.items),
        )


@dataclass(frozen=True)
class DrillItem:
    scenario: Scenario
    reason: str  # new | retry | weak | review
    detail: str = ""  # the weak skill, or the last score


def level(history: list[PastResult]) -> int:
    """The highest difficulty passed + 1 (1 for a new trainee), at most 5."""
    latest: dict[str, PastResult] = {}
    for r in history:  # newest first, as the backend lists them
        latest.setdefault(r.scenario_id, r)
    passed = 0
    for difficulty in range(1, 6):
        scores = [r.score for r in latest.values() if r.difficulty == difficulty]
        if not scores or sum(scores) / len(scores) < PASS_SCORE:
            break
        passed = difficulty
    return min(5, passed + 1)


def weak_skills(history: list[PastResult], recent: int = 20) -> dict[str, float]:
    """Skill -> share of recent calls that had it and missed it."""
    seen: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for r in history[:recent]:
        seen.update(set(r.skills))
        missed.update(set(r.missed_skills))
    return {s: missed[s] / seen[s] for s in seen if missed[s]}


def _spin(scenario_id: str, day: int) -> float:
    digest = hashlib.sha256(f"{scenario_id}:{day}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def plan_drill(
    scenarios: list[Scenario],
    history: list[PastResult],
    *,
    minutes: float = 15,
    day: int = 0,
    overhead_seconds: float = 60,
) -> list[DrillItem]:
    """Scenarios for today's drill, easiest first, within `minutes` (each call counts
    its par time plus `overhead_seconds` for the debrief). Always at least one."""
    top = level(history)
    weak = weak_skills(history)
    latest: dict[str, PastResult] = {}
    for r in history:
        latest.setdefault(r.scenario_id, r)
    ranked: list[tuple[float, DrillItem]] = []
    for s in scenarios:
        if s.difficulty > top:
            continue
        skills = {m.skill for m in s.rubric}
        need = sum(weak.get(k, 0.0) for k in skills)
        past = latest.get(s.id)
        if past is None:
            item, value = DrillItem(s, "new"), 1.0
        elif past.score < PASS_SCORE:
            item, value = DrillItem(s, "retry", str(past.score)), 1.2
        elif past.score >= MASTERED:
            item, value = DrillItem(s, "review", str(past.score)), -1.0
        else:
            item, value = DrillItem(s, "review", str(past.score)), 0.2
        if need and past is not None and past.score >= PASS_SCORE:
            worst = max(skills, key=lambda k: weak.get(k, 0.0))
            item, value = DrillItem(s, "weak", worst), value + need
        value += need + 0.3 * (s.difficulty == top) + 0.1 * _spin(s.id, day)
        ranked.append((value, item))
    if not ranked and scenarios:  # nothing at this level: start with the easiest
        easiest = min(scenarios, key=lambda s: (s.difficulty, s.id))
        ranked.append((0.0, DrillItem(easiest, "new")))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].scenario.id))
    budget = minutes * 60
    chosen: list[tuple[float, DrillItem]] = []
    for value, item in ranked:
        cost = item.scenario.par_seconds + overhead_seconds
        if cost <= budget or not chosen:
            chosen.append((value, item))
            budget -= cost
    chosen.sort(key=lambda pair: (pair[1].scenario.difficulty, -pair[0]))
    return [item for _, item in chosen]
