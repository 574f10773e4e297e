"""Finding every msgid in the source: `_("...")` and `N_("...")` calls with a literal.

Babel's own Python extractor reads tokens and misses calls inside f-strings on Python
below 3.12 (`f"{_('Account')}: {no}"`); this one walks the syntax tree, so babel.cfg
uses it and the catalogue test counts with it: one definition of "a msgid in the code".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

KEYWORDS = ("_", "N_")


def msgids_in(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, function, msgid) for each marked literal in `source`, in line order."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.func.id, node.args[0].value))
    yield from sorted(found)


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method (named in babel.cfg [extractors])."""
    for line, func, msgid in msgids_in(fileobj.read().decode("utf-8")):
        yield line, func, msgid, []


def msgids_under(*roots: Path) -> dict[str, str]:
    """msgid -> the first file:line it appears at, for every .py under `roots` (the
    server has no UI text and is skipped)."""
    out: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "server" in path.relative_to(root).parts:
                continue
            for line, _func, msgid in msgids_in(path.read_text(encoding="utf-8")):
                out.setdefault(msgid, f"{path}:{line}")
    return out
