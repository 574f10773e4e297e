"""Keymaps: keymaps/*.toml plus the user's overrides -> Textual's keymap (binding ids).

Every key is checked before the console starts: an unknown action, a key Textual
does not know, a bare letter that would be typed into a search box instead, or two
actions on one key in the same place are errors with file, line and column. A
remapped key that silently does nothing is the worst outcome for an agent mid-call.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from agent_console import keymaps
from agent_console.actions import APP, BY_ID, CATALOGUE
from agent_console.problems import ConfigError, Problem
from agent_console.tomlspan import Position, decode_error, key_positions, locate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {f"f{i}" for i in range(1, 25)}
    | {
        "escape",
        "enter",
        "tab",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        "space",
        "question_mark",
        "comma",
        "full_stop",
        "slash",
        "minus",
        "plus",
        "equals_sign",
    }
)


@dataclass(frozen=True)
class KeymapSource:
    label: str  # file path or "keymaps/<name>.toml"
    keys: dict[str, str]
    positions: dict[tuple[str, ...], Position]
    table: tuple[str, ...]  # where the keys sit in that file


#: The shipped keymaps' folder. A plain path, not importlib.resources: that loads
#: zipfile and its readers (a few ms of start-up) for a package never installed zipped.
SHIPPED = Path(keymaps.__file__).parent


def shipped_names() -> list[str]:
    return sorted(f.name[:-5] for f in SHIPPED.iterdir() if f.name.endswith(".toml"))


def _read_shipped(name: str) -> tuple[str, str]:
    return f"keymaps/{name}.toml", (SHIPPED / f"{name}.toml").read_text(encoding="utf-8")


def _parse(label: str, text: str, table: tuple[str, ...]) -> KeymapSource:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col, msg = decode_error(exc)
        raise ConfigError([Problem(label, line, col, f"not valid TOML: {msg}")]) from exc
    node: object = data
    for part in table:
        node = cast("dict[str, object]", node).get(part, {}) if isinstance(node, dict) else {}
    positions = key_positions(text)
    if not isinstance(node, dict):
        pos = locate(positions, table)
        raise ConfigError(
            [Problem(label, pos.line, pos.column, f"[{'.'.join(table)}] must be a table")]
        )
    keys: dict[str, str] = {}
    problems: list[Problem] = []
    for action_id, value in cast("dict[str, object]", node).items():
        if not isinstance(value, str):
            pos = locate(positions, (*table, action_id))
            problems.append(
                Problem(
                    label,
                    pos.line,
                    pos.column,
                    f'{action_id}: keys must be a string like "f2" or "f2,ctrl+l"',
                )
            )
            continue
        keys[action_id] = value
    if problems:
        raise ConfigError(problems)
    return KeymapSource(label, keys, positions, table)


@lru_cache(maxsize=1)
def default_keys() -> dict[str, str]:
    """The keys of keymaps/default.toml: the defaults every Binding is declared with."""
    label, text = _read_shipped("default")
    return _parse(label, text, ("keys",)).keys


def load_base(base: str, relative_to: Path | None = None) -> KeymapSource:
    """A shipped keymap by name, or a keymap file by path."""
    if base in shipped_names():
        label, text = _read_shipped(base)
        return _parse(label, text, ("keys",))
    path = Path(base).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = relative_to.parent / path
    if not path.exists():
        close = difflib.get_close_matches(base, shipped_names(), n=1)
        hint = (
            f"; did you mean {close[0]!r}?" if close else f"; shipped: {', '.join(shipped_names())}"
        )
        raise ConfigError([Problem(str(path), 1, 1, f"no keymap named {base!r}{hint}")])
    return _parse(str(path), path.read_text(encoding="utf-8"), ("keys",))


def key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual can bind, or None."""
    parts = key.strip().lower().split("+")
    *mods, name = parts
    if not name:
        return f"{key!r} is empty"
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return f"{key!r}: unknown modifier {bad[0]!r} (use ctrl, alt, shift, meta)"
    if name in NAMED_KEYS:
        return None
    if len(name) == 1 and name.isprintable():
        if not mods or mods == ["shift"]:
            return (
                f"{key!r} alone would be typed into the search box, not run; "
                f"add a modifier such as ctrl+{name}"
            )
        return None
    close = difflib.get_close_matches(name, sorted(NAMED_KEYS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{key!r}: unknown key {name!r}{hint}"


def _overlaps(a: str, b: str) -> bool:
    return a == b or APP in (a, b)


def merge(sources: list[KeymapSource]) -> dict[str, str]:
    """Validate `sources` in order (later ones override) over the defaults; the keymap."""
    problems: list[Problem] = []
    merged = dict(default_keys())
    origin: dict[str, tuple[KeymapSource, str]] = {}
    for src in sources:
        for action_id, keys in src.keys.items():
            pos = locate(src.positions, (*src.table, action_id), key=True)
            if action_id not in BY_ID:
                close = difflib.get_close_matches(action_id, list(BY_ID), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    Problem(src.label, pos.line, pos.column, f"unknown action {action_id!r}{hint}")
                )
                continue
            vpos = locate(src.positions, (*src.table, action_id))
            for key in [k.strip() for k in keys.split(",")]:
                if (why := key_problem(key)) is not None:
                    problems.append(
                        Problem(src.label, vpos.line, vpos.column, f"{action_id}: {why}")
                    )
            merged[action_id] = ",".join(k.strip().lower() for k in keys.split(","))
            origin[action_id] = (src, action_id)
    if problems:
        raise ConfigError(problems)
    problems += _clashes(merged, origin)
    if problems:
        raise ConfigError(problems)
    return merged


def _clashes(merged: dict[str, str], origin: dict[str, tuple[KeymapSource, str]]) -> list[Problem]:
    problems: list[Problem] = []
    owners: dict[str, list[str]] = {}
    for spec in CATALOGUE:
        for key in merged.get(spec.id, "").split(","):
            if key:
                owners.setdefault(key, []).append(spec.id)
    for key, ids in owners.items():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if _overlaps(BY_ID[a].scope, BY_ID[b].scope):
                    blamed = b if b in origin else a
                    src = origin.get(blamed, (None, ""))[0]
                    label = src.label if src else "keymaps/default.toml"
                    pos = locate(src.positions, (*src.table, blamed)) if src else Position(1, 1)
                    problems.append(
                        Problem(
                            label, pos.line, pos.column, f"{key!r} is bound to both {a} and {b}"
                        )
                    )
    return problems


def build_keymap(
    base: str, overrides: KeymapSource | None, config_path: Path | None
) -> dict[str, str]:
    # The default keymap is what merge() starts from: read again as a source it was
    # parsed twice and each of its keys checked again, at every start (~1.5 ms of it).
    # The shipped keymaps are held valid by tests/test_keymap.py.
    sources = [] if base == "default" else [load_base(base, config_path)]
    if overrides is not None:
        sources.append(overrides)
    return merge(sources)


def overrides_from_config(label: str, text: str) -> KeymapSource | None:
    """The [keymap.keys] table of a config file, with positions, if it has one."""
    src = _parse(label, text, ("keymap", "keys"))
    return src if src.keys else None


_KEY_NAMES = {
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "enter": "Enter",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_display(keys: str) -> str:
    """'f2,ctrl+s' -> 'F2 / Ctrl+S', as printed on a keyboard (help, key bar, hints)."""
    shown: list[str] = []
    for key in filter(None, keys.split(",")):
        *mods, name = key.strip().split("+")
        if len(name) == 1 or (name[0] == "f" and name[1:].isdigit()):
            name = name.upper()
        else:
            name = _KEY_NAMES.get(name, name.capitalize())
        shown.append("+".join([*(m.capitalize() for m in mods), name]))
    return " / ".join(shown)
