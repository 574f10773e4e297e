"""Snippets with hit positions, computed from plain text.

The server sends text plus [start, end) offsets; the console styles those ranges.
No markup ever travels, so hostile article text cannot inject any.
"""

from __future__ import annotations

import re
import unicodedata

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


def _flatten_markdown(body: str) -> str:
    text = re.sub(r"[#>*_`|]+", " ", body)
    return " ".join(text.split())


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _end_within(text: str, start: int, cells: int) -> int:
    """The end index of the longest slice from `start` that fits in `cells` columns."""
    used, end = 0, start
    while end < len(text) and used + _cells(text[end]) <= cells:
        used += _cells(text[end])
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
    text = _flatten_markdown(body)
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
