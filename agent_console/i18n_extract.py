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
#: Counted messages: ngettext("{n} hit", "{n} hits", n) -> one plural msgid.
PLURAL_KEYWORDS = ("ngettext",)


def _literals(node: ast.Call, count: int) -> tuple[str, ...] | None:
    """The first `count` arguments of a call if they are all string literals."""
    args = node.args[:count]
    if len(args) < count:
        return None
    texts = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return tuple(texts) if len(texts) == count else None


def messages_in(source: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, function, (msgid,) or (singular, plural)) for each marked call in `source`."""
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name = node.func.id
        if name in KEYWORDS and len(node.args) == 1:
            texts = _literals(node, 1)
        elif name in PLURAL_KEYWORDS:
            texts = _literals(node, 2)
        else:
            continue
        if texts is not None:
            found.append((node.lineno, name, texts))
    yield from sorted(found)


def msgids_in(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, function, msgid) for each marked literal in `source`, in line order (a
    plural message by its singular, the catalogue's key for it)."""
    for line, func, texts in messages_in(source):
        yield line, func, texts[0]


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Babel extraction method (named in babel.cfg [extractors]); plurals as a tuple,
    which Babel's `ngettext` keyword spec (1, 2) turns into msgid/msgid_plural."""
    for line, func, texts in messages_in(fileobj.read().decode("utf-8")):
        message: str | tuple[str, ...] = texts[0] if func in KEYWORDS else texts
        yield line, func, message, []


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
