"""A review being scored, and the words the review screens show, without a terminal.

The scorecard is data from the backend (GET /scorecard); a review holds a score per
item (0 .. the item's max, 2) and a comment. An item below its max is weak: the
supervisor may assign a practice scenario that trains it, and the agent sees that
scenario and its result beside the review. The practice menu lists the scenarios
assigned to the signed-in agent and not yet run before every other one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from agent_console.i18n import _
from agent_console.models.quality import Coaching, Review, ScorecardItem

#: Most tickets per agent one sample may draw (a week's review, not an audit).
MAX_PER_AGENT = 20
COMMENT_MAX = 1000

S = TypeVar("S")


@dataclass
class ReviewForm:
    """One review's scores and comment as the supervisor edits them."""

    items: Sequence[ScorecardItem]
    scores: dict[str, int] = field(default_factory=dict[str, int])
    comment: str = ""
    saved_scores: dict[str, int] = field(default_factory=dict[str, int])
    saved_comment: str = ""

    @classmethod
    def of(cls, review: Review, items: Sequence[ScorecardItem]) -> ReviewForm:
        known = {i.id for i in items}
        scores = {k: v for k, v in review.scores.items() if k in known}
        return cls(items, dict(scores), review.comment, dict(scores), review.comment)

    def item(self, item_id: str) -> ScorecardItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def set_score(self, item_id: str, value: int) -> bool:
        """Score one item; False (nothing changed) for an unknown item or a value out of
        0 .. its max."""
        item = self.item(item_id)
        if item is None or not 0 <= value <= item.max:
            return False
        self.scores[item_id] = value
        return True

    def missing(self) -> list[ScorecardItem]:
        """Items not scored yet: a review is saved whole or not at all."""
        return [i for i in self.items if i.id not in self.scores]

    def weak(self) -> list[ScorecardItem]:
        """Items scored below their max: what coaching can train."""
        return [i for i in self.items if i.id in self.scores and self.scores[i.id] < i.max]

    def is_weak(self, item_id: str) -> bool:
        return any(i.id == item_id for i in self.weak())

    def total(self) -> tuple[int, int]:
        """(points given, points possible) over the items scored so far."""
        scored = [i for i in self.items if i.id in self.scores]
        return sum(self.scores[i.id] for i in scored), sum(i.max for i in scored)

    @property
    def dirty(self) -> bool:
        return self.scores != self.saved_scores or self.comment != self.saved_comment

    def problem(self) -> str:
        """Why the review cannot be saved yet ("" when it can)."""
        missing = self.missing()
        if missing:
            return _("Score every item first: {n} left.").format(n=len(missing))
        if len(self.comment) > COMMENT_MAX:
            return _("The comment is longer than {n} characters.").format(n=COMMENT_MAX)
        return ""

    def body(self) -> dict[str, object]:
        """What PUT /reviews/{id} takes."""
        return {"scores": dict(self.scores), "comment": self.comment.strip()}

    def saved(self, review: Review) -> None:
        """The backend stored the review: this is the new clean state."""
        self.scores = {k: v for k, v in review.scores.items() if self.item(k) is not None}
        self.comment = review.comment
        self.saved_scores, self.saved_comment = dict(self.scores), self.comment


def score_cell(score: int | None, top: int) -> str:
    """ "2/2", "0/2", or "–" for an item not scored."""
    return "–" if score is None else f"{score}/{top}"


def review_total(review: Review, items: Sequence[ScorecardItem]) -> str:
    """A review's points over the scorecard ("9/12"), or "–" while it is open."""
    if review.status != "scored" or not review.scores:
        return "–"
    top = sum(i.max for i in items if i.id in review.scores)
    return f"{sum(review.scores.values())}/{top}" if top else "–"


def status_label(status: str) -> str:
    return {"open": _("open"), "scored": _("scored")}.get(status, status)


def result_text(coaching: Coaching) -> str:
    """A coaching row's result in a few words: its score once run, else "not run yet"."""
    result = coaching.result
    if result is None:
        return _("not run yet")
    day = result.finished_at[:10]
    score = f"{result.score}/{result.max_score}" if result.max_score else str(result.score)
    return _("score {score} on {day}").format(score=score, day=day) if day else score


def title_in(language: str, zh: str, en: str, fallback: str = "") -> str:
    """A scenario's title in the UI's language. Without one in Chinese, the English one
    says so in Chinese (not an English line dropped into a Chinese screen unexplained);
    without either, `fallback` (its id)."""
    wanted, other = (zh, en) if language == "zh" else (en, zh)
    if wanted:
        return wanted
    if not other:
        return fallback
    return _("{title} (no Chinese title)").format(title=other) if language == "zh" else other


def coaching_summary(coaching: Iterable[Coaching]) -> str:
    """The coaching column of the review list: how many assigned, how many run."""
    rows = list(coaching)
    if not rows:
        return ""
    done = sum(1 for c in rows if c.result is not None)
    return _("{done}/{n} run").format(done=done, n=len(rows))


def coaching_for_item(review: Review, item_id: str) -> list[Coaching]:
    return [c for c in review.coaching if c.item == item_id]


def satisfaction_text(value: int | None) -> str:
    return "–" if value is None else f"{value}/5"


def default_range(today: dt.date) -> tuple[str, str]:
    """A sample's days by default: the seven days up to and including yesterday."""
    end = today - dt.timedelta(days=1)
    return (end - dt.timedelta(days=6)).isoformat(), end.isoformat()


@dataclass(frozen=True)
class SampleRequest:
    per_agent: int
    date_from: str
    date_to: str


def parse_sample(per_agent: str, date_from: str, date_to: str) -> SampleRequest | str:
    """The sample form's three fields as a request, or the one problem to show."""
    try:
        n = int(per_agent.strip())
    except ValueError:
        return _("Tickets per agent: a whole number.")
    if not 1 <= n <= MAX_PER_AGENT:
        return _("Tickets per agent: 1 to {n}.").format(n=MAX_PER_AGENT)
    days: list[dt.date] = []
    for text in (date_from, date_to):
        try:
            days.append(dt.date.fromisoformat(text.strip()))
        except ValueError:
            return _("Dates as YYYY-MM-DD (not {text!r}).").format(text=text.strip())
    if days[0] > days[1]:
        return _("The first day comes after the last.")
    return SampleRequest(n, days[0].isoformat(), days[1].isoformat())


def assigned_first(
    scenarios: Sequence[S], coaching: Iterable[Coaching], scenario_id: str = "id"
) -> tuple[list[S], list[S]]:
    """(the scenarios assigned and not yet run, in the order assigned; all the others)."""
    wanted: list[str] = []
    for c in sorted(coaching, key=lambda c: c.assigned_at):
        if c.result is None and c.scenario_id not in wanted:
            wanted.append(c.scenario_id)
    by_id = {str(getattr(s, scenario_id)): s for s in scenarios}
    first = [by_id[w] for w in wanted if w in by_id]
    rest = [s for s in scenarios if str(getattr(s, scenario_id)) not in wanted]
    return first, rest
