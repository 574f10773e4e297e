"""The daily drill picks by level and past misses; keys are spelled as the key bar does."""

from __future__ import annotations

from agent_console.keymap import default_keys, load_base
from agent_console.practice import PastResult, plan_drill, shipped_scenarios
from agent_console.practice.drill import level, weak_skills
from agent_console.practice.keys import action_keys, key_display, path_keystrokes
from agent_console.practice.scenario import PathStep

SCENARIOS = shipped_scenarios()
BY_ID = {s.id: s for s in SCENARIOS}


def result(scenario_id: str, score: int, missed: tuple[str, ...] = ()) -> PastResult:
    s = BY_ID[scenario_id]
    skills = tuple(m.skill for m in s.rubric)
    return PastResult(scenario_id, score, s.difficulty, missed, skills)


def minutes(plan: list) -> float:
    return sum(item.scenario.par_seconds + 60 for item in plan) / 60


def test_a_new_trainee_starts_with_the_easiest_calls_within_15_minutes() -> None:
    plan = plan_drill(SCENARIOS, [], minutes=15, day=1)
    assert plan and {item.scenario.difficulty for item in plan} == {1}
    assert {item.reason for item in plan} == {"new"}
    assert minutes(plan) <= 15


def test_passing_a_level_opens_the_next() -> None:
    easy = [s.id for s in SCENARIOS if s.difficulty == 1]
    history = [result(sid, 95) for sid in easy]
    assert level([]) == 1 and level(history) == 2
    plan = plan_drill(SCENARIOS, history, minutes=15, day=1)
    assert max(item.scenario.difficulty for item in plan) == 2
    assert [item.scenario.difficulty for item in plan] == sorted(
        item.scenario.difficulty for item in plan
    )  # easiest first


def test_a_failed_call_comes_back_and_a_weak_skill_is_trained() -> None:
    history = [
        result("heat-forgot-account", 60, ("closing", "sms")),
        result("heat-half-hot", 85, ("closing",)),
        result("dir-exact-name", 100),
    ]
    assert weak_skills(history)["closing"] == 2 / 3
    plan = plan_drill(SCENARIOS, history, minutes=15, day=1)
    reasons = {item.scenario.id: (item.reason, item.detail) for item in plan}
    assert reasons["heat-forgot-account"] == ("retry", "60")
    assert reasons["heat-half-hot"] == ("weak", "closing")
    assert "dir-exact-name" not in reasons or reasons["dir-exact-name"][0] == "review"


def test_the_same_day_gives_the_same_drill_and_a_short_drill_has_one_call() -> None:
    history = [result("dir-exact-name", 90)]
    first = plan_drill(SCENARIOS, history, minutes=15, day=7)
    again = plan_drill(SCENARIOS, history, minutes=15, day=7)
    assert [i.scenario.id for i in first] == [i.scenario.id for i in again]
    assert len(plan_drill(SCENARIOS, [], minutes=1, day=7)) == 1


def test_past_results_read_from_the_backends_json() -> None:
    past = PastResult.from_json(
        {
            "scenario_id": "dir-exact-name",
            "score": 60,
            "difficulty": 1,
            "items": [{"skill": "directory", "met": True}, {"skill": "sms", "met": False}],
        }
    )
    assert (past.missed_skills, past.skills) == (("sms",), ("directory", "sms"))


def test_keys_are_spelled_as_printed_on_a_keyboard() -> None:
    assert key_display("f2,ctrl+s") == "F2 / Ctrl+S"
    assert key_display("ctrl+shift+f5,pagedown") == "Ctrl+Shift+F5 / PgDn"
    assert key_display(load_base("laptop").keys["screen.lookup"]) == "Alt+1"
    assert key_display("escape,up") == "Esc / ↑"


def test_a_hint_names_the_first_key_bound_and_nothing_when_unbound() -> None:
    assert action_keys("screen.lookup", {"screen.lookup": "f2,ctrl+l"}) == "F2"
    assert action_keys("screen.directory", default_keys()) == "F6"
    keys = {**default_keys(), "screen.directory": ""}
    assert action_keys("screen.directory", keys) == ""


def test_path_keystrokes_count_keys_pressed_not_characters_produced() -> None:
    path = (
        PathStep("action", "screen.kb"),
        PathStep("ime", "qidu ", "气堵"),
        PathStep("type", "4701103467"),
        PathStep("key", "enter"),
    )
    assert path_keystrokes(path) == 1 + 5 + 10 + 1
