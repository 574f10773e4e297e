"""TOML config -> typed, validated settings; every problem names file, line and column.

Lookup order: --config PATH, else $AGENT_CONSOLE_CONFIG, else config.toml in the user
config dir, else built-in defaults. $AGENT_CONSOLE_BACKEND overrides the backend URL.
Unknown keys are errors with a did-you-mean, never silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast, get_type_hints

from agent_console.keymap import KeymapSource, build_keymap, overrides_from_config
from agent_console.paths import default_config_path
from agent_console.problems import ConfigError, Problem
from agent_console.tomlspan import Positions, decode_error, key_positions, locate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class BackendSettings:
    url: str = "http://127.0.0.1:8765"
    timeout: float = 5.0
    connect_timeout: float = 2.0
    verify: bool = True
    ca_bundle: str = ""
    health_interval: float = 5.0


#: The themes the console knows: Textual's own (8.x) and the console's high-contrast
#: one (screens/themes.py). Kept here so check-config needs no Textual.
THEMES = (
    "textual-dark",
    "textual-light",
    "high-contrast",
    "ansi-dark",
    "ansi-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "catppuccin-latte",
    "catppuccin-frappe",
    "catppuccin-macchiato",
    "solarized-light",
    "solarized-dark",
    "rose-pine",
    "rose-pine-moon",
    "rose-pine-dawn",
    "atom-one-dark",
    "atom-one-light",
)


@dataclass(frozen=True)
class ConsoleSettings:
    language: str = "auto"
    theme: str = "textual-dark"
    hotline: str = ""
    idle_lock_minutes: float = 15.0  # PCI DSS 8.2.8; 0 = never lock


@dataclass(frozen=True)
class LookupSettings:
    debounce_ms: int = 30
    limit: int = 20
    history: int = 20


@dataclass(frozen=True)
class PracticeSettings:
    scenarios: str = ""  # a folder of extra scenario files, besides the shipped ones
    idle_hint_seconds: float = 20.0  # a trainee stalling this long gets a hint
    drill_minutes: int = 15  # the daily drill's length


@dataclass(frozen=True)
class EventsSettings:
    enabled: bool = True
    reconnect_max: float = 10.0
    silence_timeout: float = 45.0


@dataclass(frozen=True)
class OutboxSettings:
    file: str = ""  # "" = outbox.sqlite in the user data dir
    first_backoff: float = 1.0  # seconds: the longest wait after the first failed send
    max_backoff: float = 60.0  # seconds: the longest wait between two sends, ever


@dataclass(frozen=True)
class KeymapSettings:
    base: str = "default"
    keys: dict[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True)
class Settings:
    backend: BackendSettings = field(default_factory=BackendSettings)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    lookup: LookupSettings = field(default_factory=LookupSettings)
    keymap: KeymapSettings = field(default_factory=KeymapSettings)
    practice: PracticeSettings = field(default_factory=PracticeSettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    path: Path | None = None  # the file these came from; None means built-in defaults
    keys: dict[str, str] = field(default_factory=dict[str, str])  # the validated, merged keymap


_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("console", "language"): ("auto", "zh", "en"),
    ("console", "theme"): THEMES,
}
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("console", "idle_lock_minutes"): (0, 240),
    ("backend", "timeout"): (0.1, 120),
    ("backend", "connect_timeout"): (0.1, 60),
    ("backend", "health_interval"): (1, 3600),
    ("lookup", "debounce_ms"): (0, 2000),
    ("lookup", "limit"): (1, 100),
    ("lookup", "history"): (0, 1000),
    ("practice", "idle_hint_seconds"): (3, 600),
    ("practice", "drill_minutes"): (1, 120),
    ("events", "reconnect_max"): (0.5, 300),
    ("events", "silence_timeout"): (5, 600),
    ("outbox", "first_backoff"): (0.05, 600),
    ("outbox", "max_backoff"): (0.1, 3600),
}


def _type_name(tp: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}.get(
        tp, "a table"
    )


def _coerce(value: Any, tp: Any) -> tuple[bool, Any]:
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if tp is str:
        return isinstance(value, str), value
    return isinstance(value, dict), value


def _section(
    cls: type, name: str, data: Any, label: str, positions: Positions, problems: list[Problem]
) -> Any:
    if not isinstance(data, dict):
        pos = locate(positions, (name,))
        problems.append(Problem(label, pos.line, pos.column, f"[{name}] must be a table"))
        return cls()
    hints = get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    values: dict[str, Any] = {}
    for key, value in cast("dict[str, Any]", data).items():
        if key not in known:
            pos = locate(positions, (name, key), key=True)
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
            problems.append(
                Problem(label, pos.line, pos.column, f"unknown setting {name}.{key}{hint}")
            )
            continue
        tp = hints[key]
        tp = dict if getattr(tp, "__origin__", None) is dict else tp
        ok, coerced = _coerce(value, tp)
        pos = locate(positions, (name, key))
        if not ok:
            problems.append(
                Problem(
                    label,
                    pos.line,
                    pos.column,
                    f"{name}.{key} must be {_type_name(tp)}, not {value!r}",
                )
            )
            continue
        if (choices := _CHOICES.get((name, key))) and coerced not in choices:
            problems.append(
                Problem(
                    label, pos.line, pos.column, f"{name}.{key} must be one of {', '.join(choices)}"
                )
            )
            continue
        if (bounds := _RANGES.get((name, key))) and not bounds[0] <= coerced <= bounds[1]:
            problems.append(
                Problem(
                    label,
                    pos.line,
                    pos.column,
                    f"{name}.{key} must be between {bounds[0]:g} and {bounds[1]:g}",
                )
            )
            continue
        values[key] = coerced
    return cls(**values)


_SECTIONS = {
    "backend": BackendSettings,
    "console": ConsoleSettings,
    "lookup": LookupSettings,
    "keymap": KeymapSettings,
    "practice": PracticeSettings,
    "events": EventsSettings,
    "outbox": OutboxSettings,
}


def parse(text: str, label: str, path: Path | None = None) -> Settings:
    """Settings from TOML text; raises ConfigError listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col, msg = decode_error(exc)
        raise ConfigError([Problem(label, line, col, f"not valid TOML: {msg}")]) from exc
    positions = key_positions(text)
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name not in _SECTIONS:
            pos = locate(positions, (name,), key=True)
            close = difflib.get_close_matches(name, list(_SECTIONS), n=1)
            hint = f"; did you mean [{close[0]}]?" if close else ""
            problems.append(Problem(label, pos.line, pos.column, f"unknown section [{name}]{hint}"))
            continue
        sections[name] = _section(_SECTIONS[name], name, value, label, positions, problems)
    keymap_settings: KeymapSettings = sections.get("keymap", KeymapSettings())
    overrides: KeymapSource | None = None
    keys: dict[str, str] = {}
    if not problems:
        try:
            overrides = overrides_from_config(label, text)
            keys = build_keymap(keymap_settings.base, overrides, path)
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    backend: BackendSettings = sections.get("backend", BackendSettings())
    practice: PracticeSettings = sections.get("practice", PracticeSettings())
    if practice.scenarios and path is not None:
        # A relative scenario folder is relative to the config file, like a keymap path.
        folder = Path(practice.scenarios).expanduser()
        if not folder.is_absolute():
            folder = path.parent / folder
        practice = dataclasses.replace(practice, scenarios=str(folder))
    outbox: OutboxSettings = sections.get("outbox", OutboxSettings())
    if outbox.file and path is not None:
        # A relative outbox file is relative to the config file, like the scenarios.
        file = Path(outbox.file).expanduser()
        outbox = dataclasses.replace(
            outbox, file=str(file if file.is_absolute() else path.parent / file)
        )
    return Settings(
        backend=backend,
        console=sections.get("console", ConsoleSettings()),
        lookup=sections.get("lookup", LookupSettings()),
        keymap=keymap_settings,
        practice=practice,
        events=sections.get("events", EventsSettings()),
        outbox=outbox,
        path=path,
        keys=keys,
    )


def resolve_path(explicit: str | None) -> Path | None:
    """The config file to read, or None for built-in defaults."""
    if explicit:
        return Path(explicit).expanduser()
    if env := os.environ.get("AGENT_CONSOLE_CONFIG"):
        return Path(env).expanduser()
    default = default_config_path()
    return default if default.exists() else None


def load(explicit: str | None = None) -> Settings:
    path = resolve_path(explicit)
    if path is None:
        settings = parse("", "<defaults>")
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError([Problem(str(path), 1, 1, "no such config file")]) from exc
        except UnicodeDecodeError as exc:
            raise ConfigError([Problem(str(path), 1, 1, "the file is not UTF-8 text")]) from exc
        settings = parse(text, str(path), path)
    if url := os.environ.get("AGENT_CONSOLE_BACKEND"):
        settings = dataclasses.replace(
            settings, backend=dataclasses.replace(settings.backend, url=url)
        )
    return settings


def verify_setting(settings: Settings) -> bool | str:
    """What httpx's `verify` should be: a CA bundle path, or True/False."""
    if settings.backend.ca_bundle:
        return str(Path(settings.backend.ca_bundle).expanduser())
    return settings.backend.verify
