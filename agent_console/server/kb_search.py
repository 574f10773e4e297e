"""What a knowledge-base search looks for, in which order, with which filters.

Engine-independent: every storage engine runs the same probes in the same order, so
SQLite and PostgreSQL rank the same data the same way. Ranking is by where the hit
is (title, then tags, then body), newest first inside each group; every probe stops
at `limit` rows. bm25 over a term that half of 50,000 articles contain costs 55-110
ms, so no probe ranks by relevance.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from agent_console.server.textkeys import has_cjk, spaced_cjk

PROBES = ("title", "tags", "body")  # rank order
WORDS_POOL = 5  # any-order candidates read, per probe, as a multiple of the limit
MAX_TOKENS = 24  # a query longer than this is cut: bounded work for a pasted paragraph


def tokens_of(text: str) -> tuple[str, ...]:
    """Search tokens: one per CJK character, Latin words and numbers whole, lowercased."""
    return tuple(re.findall(r"\w+", spaced_cjk(text)))


def word_terms(query: str) -> str:
    """What to highlight for an any-order hit: Chinese as its two-character words
    ("暖气不热" -> "暖气 气不 不热"), Latin words as they are."""
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|\w+", query):
        if has_cjk(run) and len(run) > 2:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return " ".join(out)


def coverage(terms: str, title: str, body: str) -> int:
    """How much of an any-order query an article covers: a word in the title counts
    three times one in the body."""
    words = terms.lower().split()
    title, body = title.lower(), body.lower()
    return sum(3 * (w in title) + (w in body) for w in words)


def facet_word(prefix: str, value: str) -> str:
    """A single index token for a filter value: 'hl' + '961655' -> 'hl961655'."""
    folded = unicodedata.normalize("NFKC", value).lower()
    return prefix + "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def facets(hotline: str, language: str, tags: list[str] | tuple[str, ...]) -> str:
    """The filter column of an article's index rows: hotline, language and tag tokens."""
    words = [facet_word("hl", hotline or "all"), facet_word("lang", language or "zh")]
    return " ".join([*words, spaced_cjk(" ".join(tags))]).strip()


@dataclass(frozen=True)
class KbPlan:
    tokens: tuple[str, ...]  # the query's tokens, in order (matched as one phrase)
    prefix: bool  # the last token is a Latin prefix (search as you type)
    tag_tokens: tuple[str, ...]  # a tag filter as a phrase of tokens, or ()
    hotline_words: tuple[str, ...]  # facet tokens any of which must match, or ()
    language_word: str  # a language facet token, or ""
    limit: int

    @property
    def has_text(self) -> bool:
        return bool(self.tokens)

    @property
    def has_filters(self) -> bool:
        return bool(self.tag_tokens or self.hotline_words or self.language_word)


def plan_kb(
    query: str,
    limit: int,
    *,
    tag: str | None = None,
    hotline: str | None = None,
    language: str | None = None,
) -> KbPlan:
    """The plan for a query and its filters. A hotline filter keeps that hotline's
    articles and those for every hotline ('all')."""
    tokens = tokens_of(query)[:MAX_TOKENS]
    prefix = bool(tokens) and not has_cjk(tokens[-1])
    hotlines: tuple[str, ...] = ()
    if hotline and hotline != "all":
        hotlines = (facet_word("hl", hotline), facet_word("hl", "all"))
    return KbPlan(
        tokens=tokens,
        prefix=prefix,
        tag_tokens=tokens_of(tag or "")[:MAX_TOKENS],
        hotline_words=hotlines,
        language_word=facet_word("lang", language) if language else "",
        limit=limit,
    )
