"""Phrase matching without FTS5: the same hits as SQLite's unicode61 phrase queries.

Engine-independent. SQLite indexes text with FTS5 (one token per CJK character, Latin
words whole) and matches a query as a phrase of adjacent tokens. An engine without
FTS5 (PostgreSQL) stores each text as its token string (`token_string`) and matches
with one LIKE pattern (`like_pattern`), which an index of trigrams serves; a phrase of
one or two CJK characters, which trigrams cannot narrow, is looked up in a side table
of CJK grams (`cjk_grams`). All three derive from the same tokens, so both engines
return the same rows.

Token string: tokens in order, separated by one space except between two CJK
characters (joined), with a space at each end. A CJK character is always a token
boundary and Latin tokens always sit between spaces, so "the query's tokens are
adjacent in the text" is exactly "the pattern occurs in the token string".
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from agent_console.server.textkeys import spaced_cjk

_TOKEN = re.compile(r"[^\W_]+")  # unicode61: letters and digits; '_' separates
# Text that folding leaves as it is (CJK ideographs without compatibility forms, ASCII
# letters, digits, spaces and punctuation): its tokens are read straight off it, the
# normalisations skipped (a migration tokenises 40 million characters of addresses).
_PLAIN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\x20-\x7e]*")
_PLAIN_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[a-z0-9]+")


def _fold(text: str) -> str:
    """Lowercase, width-folded, without diacritics (unicode61 remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", spaced_cjk(text))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def tokens(text: str) -> list[str]:
    if _PLAIN.fullmatch(text):
        return _PLAIN_TOKEN.findall(text.lower())
    return _TOKEN.findall(_fold(text))


def _is_cjk(token: str) -> bool:
    return len(token) == 1 and (
        "\u4e00" <= token <= "\u9fff"
        or "\u3400" <= token <= "\u4dbf"
        or "\uf900" <= token <= "\ufaff"
        or "\U00020000" <= token <= "\U0002ffff"
    )


def _join(toks: list[str]) -> str:
    out: list[str] = []
    for i, tok in enumerate(toks):
        if i and not (_is_cjk(toks[i - 1]) and _is_cjk(tok)):
            out.append(" ")
        out.append(tok)
    return "".join(out)


def token_string(text: str) -> str:
    """What a row stores for one searchable column ('' when it has no tokens)."""
    toks = tokens(text)
    return f" {_join(toks)} " if toks else ""


def parse_phrase(phrase: str) -> tuple[list[str], bool]:
    """(tokens, last token is a prefix) of an FTS5 phrase made by textkeys.fts_phrase."""
    prefix = phrase.endswith("*")
    return tokens(phrase.strip('"*')), prefix


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(toks: list[str] | tuple[str, ...], prefix: bool = False) -> str:
    """A LIKE pattern (backslash escapes) matching token strings holding `toks` adjacent."""
    body = _escape(_join(list(toks)))
    left = "" if _is_cjk(toks[0]) else " "
    right = "" if (prefix or _is_cjk(toks[-1])) else " "
    return f"%{left}{body}{right}%"


def cjk_grams(text: str) -> set[str]:
    """Every CJK token and every pair of adjacent CJK tokens of `text`."""
    return _grams(tokens(text))


def _grams(toks: list[str]) -> set[str]:
    grams = {t for t in toks if _is_cjk(t)}
    grams.update(a + b for a, b in itertools.pairwise(toks) if _is_cjk(a) and _is_cjk(b))
    return grams


def indexed(text: str) -> tuple[str, list[str]]:
    """`token_string(text)` and `sorted(cjk_grams(text))`, tokenising once (bulk loads)."""
    if not _PLAIN.fullmatch(text):
        toks = tokens(text)
        return (f" {_join(toks)} " if toks else "", sorted(_grams(toks)))
    toks = _PLAIN_TOKEN.findall(text.lower())
    if not toks:
        return "", []
    grams: set[str] = set()
    out: list[str] = []
    prev, last = False, ""
    for tok in toks:
        cjk = tok > "\x7f"  # plain text: a token above ASCII is one CJK character
        if cjk:
            grams.add(tok)
            if prev:
                grams.add(last + tok)  # joined to the one before, and a pair
        if not (cjk and prev):
            out.append(" ")
        out.append(tok)
        prev, last = cjk, tok
    return f"{''.join(out)} ", sorted(grams)


def gram_of(toks: list[str] | tuple[str, ...], prefix: bool) -> str | None:
    """The side-table key for a phrase of one or two CJK characters, else None."""
    if 1 <= len(toks) <= 2 and all(_is_cjk(t) for t in toks) and not prefix:
        return "".join(toks)
    return None


#: Joins the two tokens of a pair: a token character in the pair tables (FTS5's
#: `tokenchars`), never one inside a token of the character tables.
PAIR_JOIN = "|"


def token_pairs(text: str) -> str:
    """The pair text of `text` for SQLite's pair tables: every two adjacent tokens as
    one token, joined by PAIR_JOIN ("王秀英" -> "王|秀 秀|英", "radiator valve" ->
    "radiator|valve").

    Pair i stands at position i, as token i does in the character tables, so a
    phrase of n >= 2 tokens is the phrase of its n - 1 pairs (pair_phrase), with the
    same hits: consecutive pairs overlap by one token, and a pair token names both of
    its tokens unambiguously. A pair is far rarer than either token, so FTS5 walks
    short doclists.
    """
    return _grams_text(tokens(text), 2)


def pair_phrase(phrase: str) -> str | None:
    """The FTS5 phrase of pairs for an FTS5 phrase made by textkeys.fts_phrase (or
    the knowledge base's), when it has two or more tokens (else None: the phrase of
    characters answers it). A prefix on the last token is a prefix on the last pair:
    the pair's first token exact, its second begun."""
    return _gram_phrase(phrase, 2)


def token_triples(text: str) -> str:
    """The triple text of `text` for SQLite's triple tables (schema step 16): every
    three adjacent tokens as one token ("王秀英" -> "王|秀|英", "呼伦贝尔" -> "呼|伦|贝
    伦|贝|尔"), triple i at position i, as token_pairs' pairs.

    Why a third table: a phrase of common pairs that never occur in a row together
    ("小区大学" in a million addresses: 小区, 区大 and 大学 are each in ~90,000 of
    them, all three in 7,800) made FTS5 walk 90,000-row doclists to find nothing, 5 ms;
    the triples 小区大 and 区大学 are in no address, and FTS5 stops at once.
    """
    return _grams_text(tokens(text), 3)


def triple_phrase(phrase: str) -> str | None:
    """The FTS5 phrase of triples for an FTS5 phrase, when it has three or more tokens
    (else None: the pairs or the characters answer it); a phrase of n tokens is the
    phrase of its n - 2 triples, with the same hits (consecutive triples overlap by two
    tokens). A prefix on the last token is a prefix on the last triple."""
    return _gram_phrase(phrase, 3)


def token_fives(text: str) -> str:
    """The runs of five adjacent tokens of `text` for SQLite's tables of fives (schema
    step 17), as token_triples: a long address ("丰州路望园花园") as a phrase of its
    triples still walked the long doclists of its street's triples (丰州路, in 50,000
    addresses) once per hit; nearly every run of five spans street and compound, which
    few addresses share."""
    return _grams_text(tokens(text), 5)


def five_phrase(phrase: str) -> str | None:
    """The FTS5 phrase of runs of five for a phrase of five or more tokens (else None),
    with the same hits, as triple_phrase."""
    return _gram_phrase(phrase, 5)


def token_sevens(text: str) -> str:
    """The runs of seven adjacent tokens of `text` for SQLite's table of sevens of
    addresses (schema step 18), as token_fives: a street of six characters
    ("鄂尔多斯大街", in 50,000 of a million addresses) holds two runs of five, and a
    phrase of fives walked both long doclists to each of its hits; every run of seven
    spans street and compound."""
    return _grams_text(tokens(text), 7)


def seven_phrase(phrase: str) -> str | None:
    """The FTS5 phrase of runs of seven for a phrase of seven or more tokens (else
    None), with the same hits, as triple_phrase."""
    return _gram_phrase(phrase, 7)


def _grams_text(toks: list[str], n: int) -> str:
    return " ".join(PAIR_JOIN.join(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _gram_phrase(phrase: str, n: int) -> str | None:
    toks, prefix = parse_phrase(phrase)
    if len(toks) < n:
        return None
    return f'"{_grams_text(toks, n)}"' + ("*" if prefix else "")
