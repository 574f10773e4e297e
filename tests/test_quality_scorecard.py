"""The scorecard file read strictly (errors name file and line), and the server's reading
of practice scenarios in step with the practice loader's."""

from __future__ import annotations

import pytest

from agent_console.practice.loader import shipped_scenarios
from agent_console.server.quality.scenarios import shipped, training
from agent_console.server.quality.scorecard import (
    ScorecardError,
    default_scorecard,
    parse_scorecard,
)

GOOD = """# a comment
[[item]]
id = "greeting"
label = { en = "Greeting used", zh = "使用标准问候语" }
max = 2
trains = ["greeting"]

[[item]]
id = "station"
label = { en = "Station", zh = "站点" }
max = 3
trains = ["ticket", "directory"]
"""


def test_the_shipped_scorecard_has_the_issue_items() -> None:
    items = default_scorecard()
    assert [i.id for i in items] == [
        "greeting", "identified", "category", "station", "callback_on_time", "note_quality",
    ]  # fmt: skip
    assert all(i.label_en and i.label_zh and i.trains for i in items)


def test_a_good_file_reads() -> None:
    items = parse_scorecard(GOOD, "s.toml")
    assert [(i.id, i.max, i.trains) for i in items] == [
        ("greeting", 2, ("greeting",)),
        ("station", 3, ("ticket", "directory")),
    ]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("max = 3", "max = 0", "s.toml:11: max must"),
        ("max = 3", 'max = "3"', "s.toml:11: max must"),
        ('id = "station"', 'id = "greeting"', "s.toml:9: item 'greeting' appears twice"),
        ('id = "station"', 'id = "Station!"', "s.toml:9: id must"),
        (
            'label = { en = "Station", zh = "站点" }',
            'label = { en = "Station" }',
            "s.toml:10: label",
        ),
        (
            'label = { en = "Station", zh = "站点" }',
            'label = { en = "", zh = "x" }',
            "s.toml:10: label",
        ),
        ('trains = ["ticket", "directory"]', "trains = [1]", "s.toml:12: trains"),
        ("max = 3", "max = 3\nweight = 4", "s.toml:12: unknown key 'weight'"),
    ],
)
def test_a_bad_item_names_its_line(old: str, new: str, where: str) -> None:
    with pytest.raises(ScorecardError) as err:
        parse_scorecard(GOOD.replace(old, new), "s.toml")
    assert str(err.value).startswith(where), str(err.value)


def test_a_broken_or_empty_file_is_refused() -> None:
    with pytest.raises(ScorecardError, match=r"^s\.toml: "):
        parse_scorecard("[[item]\n", "s.toml")
    with pytest.raises(ScorecardError, match="no \\[\\[item\\]\\] tables"):
        parse_scorecard("# nothing\n", "s.toml")
    with pytest.raises(ScorecardError, match="unknown table or key 'items'"):
        parse_scorecard("[[items]]\nid = 'x'\n", "s.toml")


def test_the_server_reads_the_rubric_skills_the_practice_loader_reads() -> None:
    loaded = {s.id: tuple(m.skill for m in s.rubric) for s in shipped_scenarios()}
    assert {k: v.skills for k, v in shipped().items()} == loaded
    titles = {s.id: s.title.en for s in shipped_scenarios()}
    assert {k: v.title_en for k, v in shipped().items()} == titles


def test_scenarios_for_a_skill_are_those_whose_rubric_has_it() -> None:
    tickets = {s.id for s in shipped_scenarios() if any(m.skill == "ticket" for m in s.rubric)}
    assert tickets and {s.id for s in training(("ticket",))} == tickets
    assert training(("no-such-skill",)) == []
