"""The review being scored, the sample form and the practice menu's order, without a
terminal (agent_console/supervision/review_form.py), and the keys kept for some roles
(agent_console/role_keys.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agent_console import i18n
from agent_console.actions import CATALOGUE
from agent_console.models.quality import Coaching, Review, ScorecardItem
from agent_console.role_keys import action_allowed, visible
from agent_console.supervision.review_form import (
    ReviewForm,
    SampleRequest,
    assigned_first,
    coaching_summary,
    default_range,
    parse_sample,
    result_text,
    review_total,
    title_in,
)

CARD = [
    ScorecardItem.from_json({"id": "greeting", "label": {"en": "Greeting", "zh": "问候"}}),
    ScorecardItem.from_json({"id": "category", "label": {"en": "Category"}, "max": 2}),
    ScorecardItem.from_json({"id": "note_quality", "label": {}, "trains": ["notes"]}),
]


def review(**fields: object) -> Review:
    data: dict[str, object] = {
        "id": 7,
        "agent_id": "a1",
        "agent_no": "1001",
        "name": "王芳",
        "ticket_id": 31,
        "ticket": {"summary": "暖气不热", "category_name": "供热", "satisfaction": 4},
        "status": "open",
        "scores": {},
        "comment": "",
        "coaching": [],
    }
    data.update(fields)
    return Review.from_json(data)


def coaching(scenario: str, at: str, result: dict[str, object] | None = None) -> Coaching:
    return Coaching.from_json(
        {
            "id": 1,
            "review_id": 7,
            "agent_id": "a1",
            "item": "greeting",
            "scenario_id": scenario,
            "scenario_title": scenario.upper(),
            "assigned_at": at,
            "result": result,
        }
    )


def test_a_scorecard_item_reads_its_label_in_either_language() -> None:
    assert CARD[0].label("zh") == "问候"
    assert CARD[1].label("zh") == "Category"  # no Chinese label: the English one
    assert CARD[2].label("en") == "note_quality"  # no label at all: its id
    assert CARD[2].trains == ("notes",)


def test_scores_stay_within_each_item_and_only_known_items_count() -> None:
    form = ReviewForm.of(review(scores={"greeting": 2, "gone_item": 1}), CARD)
    assert form.scores == {"greeting": 2}
    assert not form.dirty
    assert form.set_score("category", 3) is False
    assert form.set_score("category", -1) is False
    assert form.set_score("nope", 1) is False
    assert form.set_score("category", 0) is True
    assert form.dirty
    assert [i.id for i in form.missing()] == ["note_quality"]
    assert form.total() == (2, 4)


def test_weak_items_are_those_below_their_max() -> None:
    form = ReviewForm.of(review(), CARD)
    for item, score in (("greeting", 2), ("category", 1), ("note_quality", 0)):
        form.set_score(item, score)
    assert [i.id for i in form.weak()] == ["category", "note_quality"]
    assert form.is_weak("category") and not form.is_weak("greeting")


def test_a_review_is_saved_whole_with_its_comment() -> None:
    form = ReviewForm.of(review(), CARD)
    form.set_score("greeting", 1)
    assert "2 left" in form.problem()
    form.set_score("category", 2)
    form.set_score("note_quality", 2)
    form.comment = "  Good call, greet by name.  "
    assert form.problem() == ""
    assert form.body() == {
        "scores": {"greeting": 1, "category": 2, "note_quality": 2},
        "comment": "Good call, greet by name.",
    }
    form.comment = "x" * 1001
    assert "1000" in form.problem()


def test_a_saved_review_is_the_new_clean_state() -> None:
    form = ReviewForm.of(review(), CARD)
    form.set_score("greeting", 1)
    form.saved(review(status="scored", scores={"greeting": 1}, comment="ok"))
    assert not form.dirty
    assert form.comment == "ok"


def test_totals_and_results_in_words() -> None:
    scored = review(status="scored", scores={"greeting": 2, "category": 1, "note_quality": 0})
    assert review_total(scored, CARD) == "3/6"
    assert review_total(review(), CARD) == "–"
    done = coaching(
        "s1", "2026-12-01", {"score": 8, "max_score": 10, "finished_at": "2026-12-03T09:00"}
    )
    waiting = coaching("s2", "2026-12-02")
    assert result_text(done) == "score 8/10 on 2026-12-03"
    assert result_text(waiting) == "not run yet"
    assert coaching_summary([done, waiting]) == "1/2 run"
    assert coaching_summary([]) == ""


def test_the_sample_form_says_what_is_wrong() -> None:
    assert parse_sample("3", "2026-11-30", "2026-12-06") == SampleRequest(
        3, "2026-11-30", "2026-12-06"
    )
    assert "whole number" in str(parse_sample("three", "2026-11-30", "2026-12-06"))
    assert "1 to 20" in str(parse_sample("0", "2026-11-30", "2026-12-06"))
    assert "YYYY-MM-DD" in str(parse_sample("3", "30/11/2026", "2026-12-06"))
    assert "after" in str(parse_sample("3", "2026-12-07", "2026-12-06"))
    assert default_range(dt.date(2026, 12, 7)) == ("2026-11-30", "2026-12-06")


@dataclass(frozen=True)
class FakeScenario:
    id: str


def test_assigned_scenarios_not_yet_run_come_first_in_assignment_order() -> None:
    scenarios = [FakeScenario(i) for i in ("a", "b", "c", "d")]
    rows = [
        coaching("d", "2026-12-02"),
        coaching("b", "2026-12-01"),
        coaching("a", "2026-12-01", {"score": 5, "max_score": 5, "finished_at": "x"}),
        coaching("zz", "2026-12-03"),  # a scenario this console does not have
        coaching("b", "2026-12-04"),
    ]
    first, rest = assigned_first(scenarios, rows)
    assert [s.id for s in first] == ["b", "d"]
    assert [s.id for s in rest] == ["a", "c"]


def test_review_keys_are_for_their_roles_only() -> None:
    assert action_allowed("app", "open_screen", ("reviews",), "supervisor")
    assert action_allowed("app", "open_screen", ("reviews",), "agent")
    assert not action_allowed("app", "open_screen", ("reviews",), "station")
    assert not action_allowed("app", "open_screen", ("reviews",), None)
    assert action_allowed("app", "open_screen", ("lookup",), None)  # not role-bound
    assert action_allowed("reviews", "sample", (), "supervisor")
    assert not action_allowed("reviews", "sample", (), "agent")
    assert not action_allowed("review", "save", (), "agent")
    assert action_allowed("review", "back", (), "agent")
    ids = {s.id for s in visible(CATALOGUE, "agent")}
    assert "screen.reviews" in ids and "reviews.sample" not in ids
    assert "screen.reviews" not in {s.id for s in visible(CATALOGUE, "station")}


def test_a_scenario_title_follows_the_language_and_says_when_it_has_no_chinese() -> None:
    assert title_in("en", "暖气漏水", "Heating leak") == "Heating leak"
    assert title_in("zh", "暖气漏水", "Heating leak") == "暖气漏水"
    assert title_in("en", "暖气漏水", "") == "暖气漏水"
    assert title_in("zh", "", "", "leak-night") == "leak-night"
    i18n.set_language("zh")
    try:
        english_only = title_in("zh", "", "Heating leak")
    finally:
        i18n.set_language("en")
    assert english_only == "Heating leak（无中文标题）"
