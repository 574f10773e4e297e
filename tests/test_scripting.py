"""Phrase choice, placeholders, guided walks and the seat's script cache, without a terminal."""

from __future__ import annotations

import dataclasses

import pytest

from agent_console import script_cache, scripting
from agent_console.guide_walk import GuideWalk
from agent_console.models import Agent, Caller, Guide, Hotline, Script
from agent_console.screens.kb import split_query
from agent_console.script_cache import ScriptBundle
from agent_console.server.demo import demo_rows
from agent_console.server.guides import GuideInvalid, check_guide, normalise_steps
from agent_console.server.snippets import snippet


def script(ident: int, stage: str, when: str = "any", language: str = "zh") -> Script:
    return Script(ident, "961655", stage, language, f"t{ident}", f"body {ident}", when)


def test_fill_leaves_a_visible_gap_never_braces() -> None:
    text = scripting.fill("{greeting}，{caller_name}，{agent_no}号 {unknown}", {"agent_no": "7"})
    assert text == f"{scripting.GAP}，{scripting.GAP}，7号 {scripting.GAP}"


@pytest.mark.parametrize(
    ("hour", "period", "zh"),
    [(6, "morning", "早上好"), (13, "afternoon", "下午好"), (19, "evening", "晚上好")],
)
def test_time_of_day(hour: int, period: str, zh: str) -> None:
    assert scripting.period(hour) == period
    assert scripting.time_greeting("zh", hour) == zh
    assert scripting.period(23) == scripting.period(3) == "night"


def test_visible_phrases_follow_hotline_language_and_time_of_day() -> None:
    scripts = [
        script(1, "closing"),
        script(2, "greeting"),
        script(3, "greeting", "night"),
        script(4, "greeting", "morning"),
        script(5, "greeting", language="en"),
        dataclasses.replace(script(6, "greeting"), hotline="114"),
    ]
    at_night = scripting.visible(scripts, "961655", "zh", hour=23)
    assert [s.id for s in at_night] == [3, 2, 1]  # the night greeting leads its stage
    in_the_morning = scripting.visible(scripts, "961655", "zh", hour=8)
    assert [s.id for s in in_the_morning] == [4, 2, 1]


def test_language_follows_the_caller_unless_the_agent_chose() -> None:
    agent = Agent("1001", "李静", "agent", "1001", "961655", "zh")
    english = Caller(1, "Anna Schmidt", "180****7231", language="en")
    assert scripting.call_language(None, agent, None) == "zh"
    assert scripting.call_language(english, agent, None) == "en"
    assert scripting.call_language(english, agent, "zh") == "zh"
    odd = dataclasses.replace(english, language="yue")  # no Cantonese phrases: the agent's
    assert scripting.call_language(odd, agent, None) == "zh"


def test_four_more_note_names_what_was_done() -> None:
    assert scripting.four_more_note("zh", {0, 2}) == "四多: ✓ 多问一声 ✓ 多说一句"
    assert scripting.four_more_note("en", set()) == "Four more: —"


def demo_guide(slug: str) -> Guide:
    rows = demo_rows("guides.toml", "guide")
    row = next(r for r in rows if r["slug"] == slug)
    return Guide.from_json({**row, "id": 1, "steps": normalise_steps(row["steps"])})


def test_every_demo_guide_is_consistent() -> None:
    rows = demo_rows("guides.toml", "guide")
    assert {(r["hotline"], r["language"]) for r in rows} == {
        ("961655", "zh"),
        ("961655", "en"),
        ("10000", "zh"),
        ("10000", "en"),
    }
    for row in rows:
        check_guide(row["start"], normalise_steps(row["steps"]))


def test_a_guide_with_a_dead_end_is_refused() -> None:
    steps = normalise_steps([{"id": "a", "choices": [{"label": "x", "next": "nowhere"}]}])
    with pytest.raises(GuideInvalid, match="unknown step"):
        check_guide("a", steps)
    loop = normalise_steps([{"id": "a", "choices": [{"label": "again", "next": "a"}]}])
    with pytest.raises(GuideInvalid, match="no end step"):
        check_guide("a", loop)


def test_leak_walk_branches_and_ends_in_an_urgent_ticket() -> None:
    walk = GuideWalk(demo_guide("heat-leak-valves"))
    walk.choose(0)  # ready
    assert walk.current.id == "flat"
    walk.choose(1)  # still leaking -> stairwell
    assert walk.current.id == "stairwell"
    walk.choose(1)  # still leaking -> trench
    walk.choose(0)  # closed, stopped
    assert walk.finished
    prefill = walk.prefill()
    assert prefill.category == "heat.leak.in_flat"
    assert prefill.priority == "urgent"
    assert prefill.summary == "户内跑水：关闭单元地沟井阀门后已止漏，需上门维修"
    assert prefill.notes[1:] == (
        "已提醒用户断电、防烫",
        "户内阀门关闭后仍漏（或关不上、找不到）",
        "楼道阀门关闭后仍漏（或管井打不开）",
        "关闭单元地沟井阀门后止漏",
    )
    assert walk.undo() and not walk.finished and walk.current.id == "trench"


def test_an_unfinished_walk_hands_over_what_is_known() -> None:
    walk = GuideWalk(demo_guide("heat-air-lock"))
    walk.choose(1)  # whole flat
    walk.choose(1)  # neighbours cold too -> end with its own category and priority
    assert (walk.prefill().category, walk.prefill().priority) == ("heat.no_heat.building", "high")
    walk.undo()
    walk.undo()
    walk.choose(0)  # one radiator
    prefill = walk.prefill()
    assert prefill.category == "heat.no_heat.partial"
    assert prefill.summary == "暖气片半热半凉：个别暖气片上凉下热（疑似气堵）"
    with pytest.raises(IndexError):
        walk.choose(5)


def test_cache_round_trip_per_backend(isolated_user_dirs: object) -> None:
    guide = demo_guide("tel-move-line")
    bundle = ScriptBundle(
        [script(1, "greeting")],
        [guide],
        [Hotline("961655", centre_zh="城发客服", centre_en="Chengfa")],
        saved_at=1234.5,
        last_hotline="961655",
    )
    script_cache.save("http://a:1", bundle)
    back = script_cache.load("http://a:1")
    assert back == bundle
    assert back.centre("961655", "en") == "Chengfa"
    assert script_cache.load("http://b:2") is None
    script_cache.cache_path("http://a:1").write_text("{not json", encoding="utf-8")
    assert script_cache.load("http://a:1") is None


def test_tag_words_in_the_query() -> None:
    assert split_query("#宽带 重启 光猫") == ("重启 光猫", "宽带")
    assert split_query("# radiator") == ("# radiator", "")


def test_snippets_fit_the_screen_in_columns_not_characters() -> None:
    text, spans = snippet("前" * 100 + "排气" + "后" * 100, "排气", width=40)
    assert sum(2 for ch in text if ch != "…") <= 40
    ((start, end),) = spans
    assert text[start:end] == "排气"
    latin, _ = snippet("x" * 200, "", width=40)
    assert latin == "x" * 40 + "…"
