"""Scenario files are validated strictly: every problem names file, line and column."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent_console.config import parse
from agent_console.practice import load_all, load_folder, parse_scenario, shipped_scenarios
from agent_console.problems import ConfigError

GOOD = """\
id = "tiny"
hotline = "114"
difficulty = 1
language = "zh"
par_seconds = 20
title = { zh = "小", en = "Tiny" }
fastest = ["screen.scripts", "enter", "type:hhhtdz", "enter"]

[listing]
name = "呼和浩特东站"
number = "0471-5455440"

[facts]
who = "张先生"

[[line]]
id = "ask"
on = "greeting"
text = "{who}：查一下东站。"

[[rubric]]
id = "greeting"
check = "script"
stage = "greeting"
weight = 50
label = { zh = "问候", en = "Greeting" }

[[rubric]]
id = "found"
check = "listing"
weight = 50
label = { zh = "查到", en = "Found" }

[[hint]]
id = "initials"
on = "query"
screens = ["directory"]
query = ["cjk"]
unless = "found"
action = "screen.lookup"
text = { zh = "首字母（{key}）", en = "Initials ({key})" }
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_scenario(text, "s.toml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_good_file_parses() -> None:
    s = parse_scenario(GOOD, "s.toml")
    assert (s.id, s.listing and s.listing.number, s.max_score) == ("tiny", "0471-5455440", 100)
    assert [step.kind for step in s.fastest] == ["action", "key", "type", "key"]
    assert s.hints[0].query == ("cjk",)


def test_unknown_key_in_an_array_table_names_its_line_and_the_close_one() -> None:
    bad = GOOD.replace('weight = 50\nlabel = { zh = "查到"', 'wieght = 50\nlabel = { zh = "查到"')
    line = line_of(bad, "wieght")
    assert f"s.toml:{line}:1: rubric[1].wieght: unknown key; did you mean 'weight'?" in problems(
        bad
    )


def test_wrong_types_and_ranges_point_at_the_value() -> None:
    bad = GOOD.replace("difficulty = 1", "difficulty = 9").replace(
        "par_seconds = 20", 'par_seconds = "soon"'
    )
    found = problems(bad)
    assert (
        f"s.toml:{line_of(bad, 'difficulty')}:14: difficulty: must be between 1 and 5, not 9"
        in found
    )
    assert any(
        p.startswith(f"s.toml:{line_of(bad, 'par_seconds')}:15: par_seconds: must be")
        for p in found
    )


def test_a_bad_fastest_step_is_located_at_the_element() -> None:
    bad = GOOD.replace('"type:hhhtdz"', '"screen.lokup"').replace('"enter"]', '"type:呼和浩特"]')
    found = problems(bad)
    row = line_of(bad, "fastest")
    col_action = bad.splitlines()[row - 1].index('"screen.lokup"') + 1
    col_typed = bad.splitlines()[row - 1].index('"type:呼和浩特"') + 1
    assert f"s.toml:{row}:{col_action}: fastest[2]: unknown action 'screen.lokup'" in found
    assert any(p.startswith(f"s.toml:{row}:{col_typed}: fastest[3]: write the keys") for p in found)


def test_references_must_resolve() -> None:
    bad = (
        GOOD.replace('on = "greeting"', 'on = "greeted"')
        .replace("{who}", "{caller}")
        .replace('unless = "found"', 'unless = "fund"')
    )
    found = problems(bad)
    on_line = line_of(bad, 'on = "greeted"')
    assert (
        f"s.toml:{on_line}:6: line[0].on: 'greeted' is neither 'start' nor a rubric or "
        "milestone id" in found
    )
    assert any("line[0].text: {caller} is not one of the [facts]" in p for p in found)
    assert f"s.toml:{line_of(bad, 'fund')}:10: hint[0].unless: no milestone 'fund'" in found


def test_parameters_that_do_not_apply_are_errors() -> None:
    bad = GOOD.replace('check = "listing"', 'check = "listing"\nstage = "greeting"')
    line = line_of(bad, 'check = "listing"') + 1
    assert (
        f"s.toml:{line}:1: rubric[1].stage: does not apply to check = 'listing' (it takes: ref)"
        in problems(bad)
    )


def test_a_choice_outside_the_list_suggests_the_close_one() -> None:
    bad = GOOD.replace('stage = "greeting"', 'stage = "greting"')
    assert (
        f"s.toml:{line_of(bad, 'greting')}:9: rubric[0].stage: 'greting' is not known; "
        "did you mean 'greeting'?" in problems(bad)
    )


def test_missing_parts_and_duplicate_ids() -> None:
    assert "s.toml:1:1: the file needs 'hotline'" in problems(GOOD.replace('hotline = "114"\n', ""))
    bad = GOOD.replace('id = "found"', 'id = "greeting"')
    line = [i for i, t in enumerate(bad.splitlines(), 1) if t == 'id = "greeting"'][1]
    assert f"s.toml:{line}:6: rubric[1].id: 'greeting' is used twice" in problems(bad)


def test_a_hint_naming_a_key_needs_an_action() -> None:
    bad = GOOD.replace('action = "screen.lookup"\n', "")
    assert any("names {key} but the hint has no action" in p for p in problems(bad))


def test_toml_syntax_errors_keep_their_position() -> None:
    assert problems(GOOD.replace("difficulty = 1", "difficulty = = 1")) == [
        "s.toml:3:14: not valid TOML: Invalid value"
    ]


def test_every_problem_of_a_folder_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")  # the same id again
    (tmp_path / "c.toml").write_text(GOOD.replace("difficulty = 1", "difficulty = 0"), "utf-8")
    with pytest.raises(ConfigError) as info:
        load_folder(tmp_path)
    found = [str(p) for p in info.value.problems]
    assert any(
        p.startswith(f"{tmp_path / 'b.toml'}:1:1: scenario id 'tiny' is used by") for p in found
    )
    assert any(p.startswith(f"{tmp_path / 'c.toml'}:3:14: difficulty") for p in found)


def test_a_folder_adds_scenarios_and_replaces_a_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "tiny.toml").write_text(GOOD, encoding="utf-8")
    replaced = GOOD.replace('id = "tiny"', 'id = "dir-exact-name"').replace("Tiny", "Ours")
    (tmp_path / "mine.toml").write_text(replaced, encoding="utf-8")
    scenarios = {s.id: s for s in load_all(tmp_path)}
    assert len(scenarios) == len(shipped_scenarios()) + 1
    assert scenarios["dir-exact-name"].title.en == "Ours"
    with pytest.raises(ConfigError, match="no such scenario folder"):
        load_all(tmp_path / "nope")


def test_the_config_names_the_folder_relative_to_itself(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    settings = parse(
        '[practice]\nscenarios = "drills"\nidle_hint_seconds = 12\n', str(config), config
    )
    assert settings.practice.scenarios == str(tmp_path / "drills")
    assert settings.practice.idle_hint_seconds == 12.0
    with pytest.raises(ConfigError, match=r"practice\.drill_minutes must be between 1 and 120"):
        parse("[practice]\ndrill_minutes = 0\n", "c.toml")


def test_check_config_validates_the_scenario_folder(tmp_path: Path) -> None:
    (tmp_path / "drills").mkdir()
    (tmp_path / "drills" / "bad.toml").write_text(GOOD.replace('"zh"', '"fr"', 1), "utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[practice]\nscenarios = "drills"\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "agent_console", "check-config", str(config)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert f"{tmp_path / 'drills' / 'bad.toml'}:4:12: language: 'fr' is not known" in run.stderr


def test_the_readme_example_is_a_valid_scenario() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing a scenario", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    s = parse_scenario(example, "README.md")
    assert (s.id, s.max_score, [h.id for h in s.hints]) == ("heat-half-hot", 15, ["greet-first"])
