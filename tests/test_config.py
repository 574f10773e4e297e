"""Strict config: every problem named with file, line and column; nothing half-applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.cli import main
from agent_console.config import load, parse
from agent_console.problems import ConfigError

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(text, "c.toml")
    return [str(p) for p in info.value.problems]


def test_the_example_config_is_valid_and_equals_the_defaults() -> None:
    example = parse(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    defaults = parse("", "<defaults>")
    assert example.backend == defaults.backend
    assert example.lookup == defaults.lookup
    assert example.console == defaults.console
    assert example.outbox == defaults.outbox
    assert example.keys == defaults.keys


def test_syntax_error_names_line_and_column() -> None:
    assert problems("[backend]\nurl = \n") == ["c.toml:2:7: not valid TOML: Invalid value"]


def test_unknown_key_gets_did_you_mean_with_its_position() -> None:
    found = problems("[backend]\nurl = 'http://x'\ntimout = 3\n")
    assert found == ["c.toml:3:1: unknown setting backend.timout; did you mean 'timeout'?"]


def test_wrong_type_and_out_of_range_values_are_all_reported() -> None:
    found = problems("[backend]\ntimeout = 'slow'\n\n[lookup]\nlimit = 0\n")
    assert found == [
        "c.toml:2:11: backend.timeout must be a number, not 'slow'",
        "c.toml:5:9: lookup.limit must be between 1 and 100",
    ]


def test_unknown_section_is_reported() -> None:
    assert problems("[lookp]\nlimit = 5\n") == [
        "c.toml:1:1: unknown section [lookp]; did you mean [lookup]?"
    ]


def test_keymap_override_problems_point_into_the_config_file() -> None:
    found = problems('[keymap.keys]\n"screen.lookp" = "f6"\n"screen.kb" = "k"\n')
    assert found[0] == "c.toml:2:1: unknown action 'screen.lookp'; did you mean 'screen.lookup'?"
    assert found[1].startswith(
        "c.toml:3:15: screen.kb: 'k' alone would be typed into the search box"
    )


def test_a_key_taken_twice_in_the_same_place_is_a_clash() -> None:
    found = problems('[keymap.keys]\n"screen.kb" = "f2"\n')
    assert found == ["c.toml:2:15: 'f2' is bound to both screen.lookup and screen.kb"]


def test_env_overrides_backend_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[backend]\nurl = 'http://from-file'\n", encoding="utf-8")
    monkeypatch.setenv("AGENT_CONSOLE_CONFIG", str(path))
    assert load().backend.url == "http://from-file"
    monkeypatch.setenv("AGENT_CONSOLE_BACKEND", "http://from-env")
    assert load().backend.url == "http://from-env"


def test_no_config_file_means_defaults() -> None:
    settings = load()
    assert settings.path is None
    assert settings.keys["screen.lookup"] == "f2"


def test_check_config_command_prints_problems_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[console]\nlanguage = 'fr'\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["check-config", str(bad)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:12: console.language must be one of auto, zh, en" in err


def test_check_config_accepts_a_good_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[keymap]\nbase = "laptop"\n', encoding="utf-8")
    assert main(["check-config", str(good)]) == 0
    assert "OK" in capsys.readouterr().out


def test_init_config_writes_the_example_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cfg" / "config.toml"
    assert main(["init-config", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["init-config", str(target)])
