"""Practice calls as the backend stores them, raised hands and mentor hints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_float, as_str, objects


@dataclass(frozen=True)
class PracticeItem:
    id: str
    label: str
    skill: str
    weight: int
    met: bool
    at_s: float | None = None
    took_s: float | None = None
    why: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeItem:
        return cls(
            id=as_str(d, "id"),
            label=as_str(d, "label"),
            skill=as_str(d, "skill"),
            weight=int(d.get("weight") or 0),
            met=bool(d.get("met")),
            at_s=as_float(d, "at_s"),
            took_s=as_float(d, "took_s"),
            why=as_str(d, "why"),
        )


@dataclass(frozen=True)
class PracticeResult:
    """One practice call as the backend stored it (the debrief, per trainee)."""

    id: int
    trainee_id: str
    scenario_id: str
    score: int
    duration_s: float
    created_at: str
    trainee_name: str = ""
    title: str = ""
    hotline: str = ""
    difficulty: int = 1
    drill_id: str = ""
    par_s: float = 0.0
    keystrokes: int = 0
    fastest_keystrokes: int = 0
    hints: int = 0
    mentor_hints: int = 0
    hands: int = 0
    items: tuple[PracticeItem, ...] = ()
    timeline: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeResult:
        return cls(
            id=int(d["id"]),
            trainee_id=as_str(d, "trainee_id"),
            scenario_id=as_str(d, "scenario_id"),
            score=int(d.get("score") or 0),
            duration_s=float(d.get("duration_s") or 0),
            created_at=as_str(d, "created_at"),
            trainee_name=as_str(d, "trainee_name"),
            title=as_str(d, "title"),
            hotline=as_str(d, "hotline"),
            difficulty=int(d.get("difficulty") or 1),
            drill_id=as_str(d, "drill_id"),
            par_s=float(d.get("par_s") or 0),
            keystrokes=int(d.get("keystrokes") or 0),
            fastest_keystrokes=int(d.get("fastest_keystrokes") or 0),
            hints=int(d.get("hints") or 0),
            mentor_hints=int(d.get("mentor_hints") or 0),
            hands=int(d.get("hands") or 0),
            items=tuple(PracticeItem.from_json(i) for i in d.get("items") or ()),
            timeline=tuple(objects(d.get("timeline"))),
        )


@dataclass(frozen=True)
class RaisedHand:
    id: int
    trainee_id: str
    status: str  # raised, taken, answered, lowered
    raised_at: str
    trainee_name: str = ""
    scenario_id: str = ""
    step: str = ""
    note: str = ""
    mentor_id: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RaisedHand:
        return cls(
            id=int(d["id"]),
            trainee_id=as_str(d, "trainee_id"),
            status=as_str(d, "status", "raised"),
            raised_at=as_str(d, "raised_at"),
            trainee_name=as_str(d, "trainee_name"),
            scenario_id=as_str(d, "scenario_id"),
            step=as_str(d, "step"),
            note=as_str(d, "note"),
            mentor_id=d.get("mentor_id"),
        )


@dataclass(frozen=True)
class PracticeHint:
    """A live hint a mentor sent a trainee."""

    id: int
    trainee_id: str
    text: str
    created_at: str
    mentor_id: str = ""
    mentor_name: str = ""
    hand_id: int | None = None
    canned: str = ""
    seen_at: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeHint:
        return cls(
            id=int(d["id"]),
            trainee_id=as_str(d, "trainee_id"),
            text=as_str(d, "text"),
            created_at=as_str(d, "created_at"),
            mentor_id=as_str(d, "mentor_id"),
            mentor_name=as_str(d, "mentor_name"),
            hand_id=d.get("hand_id"),
            canned=as_str(d, "canned"),
            seen_at=d.get("seen_at"),
        )
