"""Where each key sits in a TOML file, so errors can name file, line and column.

tomllib reports positions only for syntax errors; for a value of the wrong type or an
unknown key, this scanner finds the line. It reads the simple shapes our config,
keymap and practice scenario files use (tables, arrays of tables, bare or quoted keys);
anything else falls back to line 1. The n-th `[[name]]` table is the path (name, "n").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r'^(\s*)("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-]+)\s*=\s*(.*)$')


@dataclass(frozen=True)
class Position:
    line: int
    column: int


#: Where each key (and, under "<key>", its name) sits in a TOML text.
Positions = dict[tuple[str, ...], Position]


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def decode_error(exc: Exception) -> tuple[int, int, str]:
    """(line, column, message) of a tomllib.TOMLDecodeError on any Python version."""
    text = str(exc)
    if m := _AT.search(text):
        return int(m.group(1)), int(m.group(2)), text[: m.start()]
    if m := re.search(r"\(at end of document\)\s*$", text):
        return 1, 1, text[: m.start()].strip()
    return getattr(exc, "lineno", 1), getattr(exc, "colno", 1), getattr(exc, "msg", text)


def _unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        return key[1:-1]
    return key


def _split_table(name: str) -> tuple[str, ...]:
    parts = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[^.\s]+', name)
    return tuple(_unquote(p) for p in parts)


def key_positions(source: str) -> Positions:
    """Map each key path (table parts + key) to the position of its value."""
    positions: dict[tuple[str, ...], Position] = {}
    table: tuple[str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for lineno, line in enumerate(source.splitlines(), start=1):
        if m := _ARRAY_TABLE.match(line):
            name = _split_table(m.group(1))
            index = counts.get(name, 0)
            counts[name] = index + 1
            table = (*name, str(index))
            positions.setdefault(table, Position(lineno, line.index("[") + 1))
            continue
        if m := _TABLE.match(line):
            table = _split_table(m.group(1))
            positions.setdefault(table, Position(lineno, line.index("[") + 1))
            continue
        if m := _KEY.match(line):
            key = _unquote(m.group(2))
            value_col = len(line) - len(m.group(3)) + 1
            positions.setdefault((*table, key), Position(lineno, value_col))
            key_col = len(m.group(1)) + 1
            positions.setdefault((*table, key, "<key>"), Position(lineno, key_col))
    return positions


def locate(positions: Positions, path: tuple[str, ...], *, key: bool = False) -> Position:
    """Best known position for `path` (the key itself with key=True), else its table's."""
    if key and (*path, "<key>") in positions:
        return positions[(*path, "<key>")]
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return Position(1, 1)
