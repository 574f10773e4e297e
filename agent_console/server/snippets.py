"""Snippets with hit positions, computed from plain text.

The server sends text plus [start, end) offsets; the console styles those ranges.
No markup ever travels, so hostile article text cannot inject any.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from agent_console.server.textkeys import has_cjk


def query_terms(query: str) -> list[str]:
    """Terms to highlight: CJK runs as whole strings, Latin words separately."""
    query = unicodedata.normalize("NFKC", query).lower()
    return [t for t in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|\w+", query) if t]


def find_hits(text: str, terms: list[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = 0
        while (pos := lowered.find(term, start)) >= 0:
            if has_cjk(term) or _word_start(lowered, pos):
                spans.append((pos, pos + len(term)))
            start = pos + len(term)
    return _merge(spans)


def _word_start(text: str, pos: int) -> bool:
    return pos == 0 or not text[pos - 1].isalnum()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_RULER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$|^\s*([-*_])(\s*\2){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_BLOCK_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s?)+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_INLINE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), ![alt](src) -> text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**, __bold__
    (re.compile(r"(?<![A-Za-z0-9*])\*(?=\S)([^*]+?)(?<=\S)\*(?![A-Za-z0-9])"), r"\1"),  # *em*
    (re.compile(r"(?<![A-Za-z0-9])_(?=\S)([^_]+?)(?<=\S)_(?![A-Za-z0-9])"), r"\1"),  # not a_b_c
    (re.compile(r"`([^`]*)`"), r"\1"),  # `code`
    (re.compile(r"</?[a-zA-Z][^<>\n]{0,30}>"), " "),  # <br> and the like
)


@lru_cache(maxsize=2048)
def plain_text(body: str) -> str:
    """Markdown as one line of plain text, as a snippet shows it: headings, quotes,
    emphasis, links and code marks go, table rulers and horizontal rules are dropped,
    table cells are separated by " · " and rows by " / ", list items start with "· ".
    The console shows the text as it is: `--- --- ---` or `**` there is noise to an agent.
    Kept for the last 2,048 bodies: a KB search makes a snippet of each of its 20 hits,
    and this was 90% of the search's CPU (a dozen regular expressions per line of every
    body; cProfile, bench/kb's queries). The same body gives the same text."""
    out: list[str] = []
    row_before = False
    for raw in body.splitlines():
        if _RULER.match(raw) or _FENCE.match(raw):
            continue
        line = _BLOCK_MARK.sub("", raw)
        row = line.strip().startswith("|") or line.strip().endswith("|")
        if row:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = " · ".join(c for c in cells if c)
        bullet = bool(_BULLET.match(line))
        line = _BULLET.sub("", line)
        for pattern, replacement in _INLINE:
            line = pattern.sub(replacement, line)
        line = " ".join(line.split())
        if not line:
            continue
        if out:
            out.append(" / " if row and row_before else " ")
        out.append(("· " if bullet else "") + line)
        row_before = row
    return "".join(out)


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _end_within(text: str, start: int, cells: int) -> int:
    """The end index of the longest slice from `start` that fits in `cells` columns."""
    used, end = 0, start
    while end < len(text):
        width = _cells(text[end])
        if used + width > cells:
            break
        used += width
        end += 1
    return end


def _start_before(text: str, pos: int, cells: int) -> int:
    used, start = 0, pos
    while start > 0 and used + _cells(text[start - 1]) <= cells:
        start -= 1
        used += _cells(text[start])
    return start


def snippet(body: str, query: str, width: int = 70) -> tuple[str, list[list[int]]]:
    """A window of the article around its first hit, `width` terminal columns wide
    (a Chinese character takes two), and the hits inside the window."""
    text = plain_text(body)
    terms = query_terms(query)
    hits = find_hits(text, terms) if terms else []
    if not hits:
        end = _end_within(text, 0, width)
        return text[:end] + ("…" if end < len(text) else ""), []
    first = hits[0][0]
    start = _start_before(text, first, width // 4)
    end = _end_within(text, start, width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    window = text[start:end]
    shift = len(prefix) - start
    inside = [[s + shift, min(e, end) + shift] for s, e in hits if s >= start and s < end]
    return prefix + window + suffix, inside
