"""Rows as COPY's text format, built in Python in large strings.

psycopg's `write_row` dumps value by value (about a microsecond each); a migration
COPYs some 40 million gram rows for a million callers. Joined here, a batch goes to
the server in a few large writes. Values are what SQLite gives: None, int, float, str.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_SPECIAL = re.compile(r"[\\\n\r\x00]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PLAIN_TYPES = frozenset({int, str, float})
CHUNK = 1 << 20  # characters per write


def _value(v: Any) -> str:
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (bytes, bytearray, memoryview)):
        raise TypeError("COPY text rows take no bytes")
    # A NUL dropped, as pg_value drops it (PostgreSQL refuses one in text).
    return str(v).translate(_ESCAPES).replace("\x00", "")


def copy_line(row: Sequence[Any]) -> str:
    """One row as a line of COPY text (tab-separated, `\\N` for NULL, escaped, bools as
    0/1 and NULs dropped as pg_value does)."""
    line = "\t".join(map(str, row))
    # Most rows: no NULL, nothing to escape (as many tabs as separators), no bool.
    if (
        line.count("\t") == len(row) - 1
        and not _SPECIAL.search(line)
        and _PLAIN_TYPES.issuperset(map(type, row))
    ):
        return line + "\n"
    return "\t".join(_value(v) for v in row) + "\n"


def copy_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows' COPY text in pieces of about CHUNK characters."""
    lines: list[str] = []
    size = 0
    for row in rows:
        line = copy_line(row)
        lines.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(lines)
            lines, size = [], 0
    if lines:
        yield "".join(lines)
