"""A strict reader for one TOML table: typed getters that record problems with file,
line and column, and an unknown-key check with did-you-mean.

Every getter returns a usable default when the value is wrong, so one pass reports
every problem in a file instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from agent_console.practice.scenario import Bilingual
from agent_console.problems import Problem
from agent_console.tomlspan import Position, locate

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


@dataclass
class Context:
    label: str
    text: str
    positions: dict[tuple[str, ...], Position]
    problems: list[Problem] = field(default_factory=list[Problem])

    def at(self, path: tuple[str, ...], message: str, *, key: bool = False) -> None:
        pos = locate(self.positions, path, key=key)
        self.problems.append(Problem(self.label, pos.line, pos.column, message))

    def at_element(self, path: tuple[str, ...], index: int, message: str) -> None:
        """A problem with the `index`-th string of the array at `path`."""
        pos = element_position(self.text, locate(self.positions, path), index)
        self.problems.append(Problem(self.label, pos.line, pos.column, message))


def element_position(text: str, start: Position, index: int) -> Position:
    """Where the `index`-th string literal of an array starting at `start` sits."""
    lines = text.splitlines()
    offset = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.column - 1
    for i, m in enumerate(_STRING.finditer(text, offset)):
        if i == index:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            return Position(line, column)
    return start


def _dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


class Reader:
    """The values of one table at `path`; call finish() to report unknown keys."""

    def __init__(self, data: Any, path: tuple[str, ...], ctx: Context) -> None:
        self.path = path
        self.ctx = ctx
        self.seen: set[str] = set()
        if isinstance(data, dict):
            self.data: dict[str, Any] = data
        else:
            self.data = {}
            ctx.at(path, f"{_dotted(path)} must be a table")

    def name(self, key: str) -> str:
        return _dotted((*self.path, key))

    def has(self, key: str) -> bool:
        return key in self.data

    def problem(self, key: str, message: str, *, at_key: bool = False) -> None:
        self.ctx.at((*self.path, key), f"{self.name(key)}: {message}", key=at_key)

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                self.ctx.at(self.path, f"{_dotted(self.path) or 'the file'} needs {key!r}")
            return None
        return self.data[key]

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        default: str = "",
        choices: Iterable[str] | None = None,
        pattern: str | None = None,
    ) -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problem(key, f"must be a string, not {value!r}")
            return default
        if required and not value.strip():
            self.problem(key, "must not be empty")
            return default
        if choices is not None and value not in (options := tuple(choices)):
            close = difflib.get_close_matches(value, options, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; one of: {', '.join(options)}"
            self.problem(key, f"{value!r} is not known{hint}")
            return default
        if pattern is not None and not re.fullmatch(pattern, value):
            self.problem(key, f"{value!r} must look like {pattern}")
            return default
        return value

    def integer(
        self, key: str, *, required: bool = False, default: int = 0, lo: int, hi: int
    ) -> int:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(key, f"must be a whole number, not {value!r}")
            return default
        if not lo <= value <= hi:
            self.problem(key, f"must be between {lo} and {hi}, not {value}")
            return default
        return value

    def number(self, key: str, *, required: bool = False, lo: float, hi: float) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.problem(key, f"must be a number of seconds, not {value!r}")
            return None
        if not lo <= value <= hi:
            self.problem(key, f"must be between {lo:g} and {hi:g}, not {value:g}")
            return None
        return float(value)

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {value!r}")
            return default
        return value

    def strings(self, key: str, *, choices: Iterable[str] | None = None) -> tuple[str, ...]:
        """A string or a list of strings (each one checked against `choices`)."""
        value = self._get(key, False)
        if value is None:
            return ()
        raw: object = [value] if isinstance(value, str) else value
        if not isinstance(raw, list) or not all(
            isinstance(v, str) and v for v in cast("list[object]", raw)
        ):
            self.problem(key, "must be a string or a list of non-empty strings")
            return ()
        items = cast("list[str]", raw)
        if choices is not None:
            options = tuple(choices)
            for i, item in enumerate(items):
                if item not in options:
                    close = difflib.get_close_matches(item, options, n=1)
                    hint = (
                        f"; did you mean {close[0]!r}?"
                        if close
                        else f"; one of: {', '.join(options)}"
                    )
                    self.ctx.at_element(
                        (*self.path, key), i, f"{self.name(key)}: {item!r} is not known{hint}"
                    )
            items = [v for v in items if v in options]
        return tuple(items)

    def raw_list(self, key: str, *, required: bool = False) -> list[Any]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "must be a list")
            return []
        return cast("list[Any]", value)

    def bilingual(self, key: str, *, required: bool = False) -> Bilingual | None:
        """A `{ zh = "...", en = "..." }` table; both texts are required."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(key, 'must be a table like { zh = "…", en = "…" }')
            return None
        value = cast("dict[str, object]", value)
        texts: dict[str, str] = {}
        for lang in ("zh", "en"):
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(key, f"needs a non-empty {lang!r} text")
                return None
            texts[lang] = text
        extra = sorted(set(value) - {"zh", "en"})
        if extra:
            self.problem(key, f"unknown language {extra[0]!r}; write zh and en")
        return Bilingual(texts["zh"], texts["en"])

    def table(self, key: str, *, required: bool = False) -> Reader | None:
        value = self._get(key, required)
        if value is None:
            return None
        return Reader(value, (*self.path, key), self.ctx)

    def tables(self, key: str, *, required: bool = False) -> list[Reader]:
        """The entries of an array of tables `[[key]]`."""
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, dict) for v in cast("list[object]", value)
        ):
            self.problem(key, f"must be written as [[{key}]] tables")
            return []
        found = cast("list[dict[str, Any]]", value)
        return [Reader(v, (*self.path, key, str(i)), self.ctx) for i, v in enumerate(found)]

    def finish(self) -> None:
        """Report every key nobody asked for, with the closest known one."""
        known = sorted(self.seen)
        for key in self.data:
            if key in self.seen:
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
            self.problem(key, f"unknown key{hint}", at_key=True)
