"""The quality loop as the backend sends it: the scorecard, reviews of closed tickets,
and the practice scenarios a supervisor assigns from a weak item (coaching)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from agent_console.models.fields import as_int, as_object, as_str, objects


@dataclass(frozen=True)
class ScorecardItem:
    """One line of the scorecard: its label in both languages, its top score, and the
    practice skill tags that train it."""

    id: str
    label_en: str
    label_zh: str
    max: int = 2
    trains: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ScorecardItem:
        label = as_object(d.get("label")) or {}
        trains: object = d.get("trains")
        return cls(
            id=as_str(d, "id"),
            label_en=as_str(label, "en"),
            label_zh=as_str(label, "zh"),
            max=as_int(d, "max", 2) or 2,
            trains=tuple(str(t) for t in cast("list[object]", trains))
            if isinstance(trains, list)
            else (),
        )

    def label(self, language: str) -> str:
        """The label in `language`, else the other one, else the id."""
        first, second = (
            (self.label_zh, self.label_en) if language == "zh" else (self.label_en, self.label_zh)
        )
        return first or second or self.id


@dataclass(frozen=True)
class CoachingResult:
    session_id: str
    score: int
    max_score: int
    finished_at: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CoachingResult:
        return cls(
            session_id=as_str(d, "session_id"),
            score=as_int(d, "score"),
            max_score=as_int(d, "max_score"),
            finished_at=as_str(d, "finished_at"),
        )


@dataclass(frozen=True)
class Coaching:
    """A practice scenario assigned from one review's weak item, and its result once run."""

    id: int
    review_id: int
    agent_id: str
    item: str
    scenario_id: str
    scenario_title: str = ""
    assigned_by_no: str = ""
    assigned_at: str = ""
    result: CoachingResult | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Coaching:
        result = as_object(d.get("result"))
        return cls(
            id=as_int(d, "id"),
            review_id=as_int(d, "review_id"),
            agent_id=as_str(d, "agent_id"),
            item=as_str(d, "item"),
            scenario_id=as_str(d, "scenario_id"),
            scenario_title=as_str(d, "scenario_title"),
            assigned_by_no=as_str(d, "assigned_by_no"),
            assigned_at=as_str(d, "assigned_at"),
            result=CoachingResult.from_json(result) if result else None,
        )


def _satisfaction(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class ReviewTicket:
    """What a review shows of its ticket: no caller's number, name or address."""

    summary: str = ""
    category: str = ""
    category_name: str = ""  # Chinese
    category_name_en: str = ""
    station: str = ""
    created_at: str = ""
    closed_at: str = ""
    satisfaction: int | None = None  # 1..5, None: not asked

    def category_label(self, language: str) -> str:
        """The category's name in `language` if the backend has it, else its id."""
        first, second = (
            (self.category_name_en, self.category_name)
            if language == "en"
            else (self.category_name, self.category_name_en)
        )
        return first or second or self.category

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReviewTicket:
        return cls(
            summary=as_str(d, "summary"),
            category=as_str(d, "category"),
            category_name=as_str(d, "category_name"),
            category_name_en=as_str(d, "category_name_en"),
            station=as_str(d, "station"),
            created_at=as_str(d, "created_at"),
            closed_at=as_str(d, "closed_at"),
            satisfaction=_satisfaction(d.get("satisfaction")),
        )


@dataclass(frozen=True)
class Review:
    """One closed ticket drawn for review, its scores and comment, and the coaching."""

    id: int
    agent_id: str
    agent_no: str
    name: str
    ticket_id: str
    ticket: ReviewTicket
    status: str  # "open" | "scored"
    scores: dict[str, int]
    comment: str = ""
    reviewer_no: str = ""
    scored_at: str = ""
    coaching: tuple[Coaching, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Review:
        raw = as_object(d.get("scores")) or {}
        scores: dict[str, int] = {}
        for item, value in raw.items():
            if isinstance(value, int) and not isinstance(value, bool):
                scores[item] = value
        return cls(
            id=as_int(d, "id"),
            agent_id=as_str(d, "agent_id"),
            agent_no=as_str(d, "agent_no"),
            name=as_str(d, "name"),
            ticket_id=as_str(d, "ticket_id"),
            ticket=ReviewTicket.from_json(as_object(d.get("ticket")) or {}),
            status=as_str(d, "status", "open"),
            scores=scores,
            comment=as_str(d, "comment"),
            reviewer_no=as_str(d, "reviewer_no"),
            scored_at=as_str(d, "scored_at"),
            coaching=tuple(Coaching.from_json(c) for c in objects(d.get("coaching"))),
        )
