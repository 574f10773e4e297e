"""Keymaps validated against the action catalogue; shipped keymaps are all valid."""

from __future__ import annotations

import pytest

from agent_console.actions import CATALOGUE
from agent_console.keymap import default_keys, key_problem, load_base, merge, shipped_names
from agent_console.problems import ConfigError


def test_default_keymap_binds_every_catalogued_action_and_nothing_else() -> None:
    assert set(default_keys()) == {a.id for a in CATALOGUE}


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_keymap_is_valid(name: str) -> None:
    keys = merge([load_base(name)])
    assert keys["screen.lookup"]


def test_laptop_keymap_moves_screens_off_function_keys() -> None:
    keys = merge([load_base("laptop")])
    assert keys["screen.lookup"] == "alt+1"
    assert keys["ticket.save"] == "ctrl+s"  # not overridden: the default stays


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("f2", None),
        ("ctrl+s", None),
        ("alt+1", None),
        ("a", "alone would be typed"),
        ("ctrl+bogus", "unknown key 'bogus'"),
        ("cmd+s", "unknown modifier 'cmd'"),
        ("f25", "unknown key 'f25'"),
    ],
)
def test_key_names(key: str, why: str | None) -> None:
    problem = key_problem(key)
    assert (problem is None) if why is None else (why in (problem or ""))


def test_missing_keymap_file_suggests_a_shipped_one() -> None:
    with pytest.raises(ConfigError) as info:
        load_base("laptp")
    assert "did you mean 'laptop'" in str(info.value)
