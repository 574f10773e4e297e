"""Search keys derived from text: pinyin initials, CJK spacing, digit forms.

Pure functions shared by every storage engine, so that SQLite and PostgreSQL
index exactly the same keys and return the same results.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff])")
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")

# Surnames whose reading differs from the character's most common one; pypinyin
# reads 曾 as "ceng" and 单 as "dan", but as surnames they are "zeng" and "shan".
_SURNAME_INITIALS = {
    "曾": "z",
    "单": "s",
    "解": "x",
    "仇": "q",
    "朴": "p",
    "查": "z",
    "区": "o",
    "盖": "g",
    "乐": "y",
    "缪": "m",
    "种": "c",
    "覃": "q",
    "尉": "y",
    "长": "c",
    "秘": "b",
    "黑": "h",
    "繁": "p",
    "召": "s",
    "员": "y",
    "牟": "m",
    "华": "h",
}


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def spaced_cjk(text: str) -> str:
    """Put spaces around every CJK character, so a unicode61 tokenizer sees one token each.

    FTS5's trigram tokenizer returns no rows for 1- and 2-character queries, and most
    Chinese words are two characters; one character per token plus a phrase query
    gives exact substring matching of any length.
    """
    return " ".join(_CJK_RE.sub(r" \1 ", unicodedata.normalize("NFKC", text)).split()).lower()


def fts_phrase(query: str) -> str | None:
    """An FTS5 phrase for the query's tokens, in order and adjacent; a Latin last token
    is matched as a prefix (search as you type). None when nothing is searchable.
    """
    tokens = re.findall(r"\w+", spaced_cjk(query))
    if not tokens:
        return None
    # A prefix on a single CJK character would match nothing extra; keep it exact.
    star = "" if has_cjk(tokens[-1]) else "*"
    return '"' + " ".join(tokens) + '"' + star


@lru_cache(maxsize=65536)
def _char_initial(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
    return out[0][:1].lower() if out and out[0] else ""


def pinyin_initials(text: str, person: bool = False) -> str:
    """Initials a 114 operator types: 北京大学 -> bjdx, 中国移动 -> zgyd, Michael Brown -> mb.

    With `person=True` the first character is read as a surname.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return ""
    if not has_cjk(text):
        return "".join(w[0] for w in _ASCII_WORD_RE.findall(text.lower()))
    out: list[str] = []
    for i, ch in enumerate(text):
        if i == 0 and person and ch in _SURNAME_INITIALS:
            out.append(_SURNAME_INITIALS[ch])
        elif _CJK_RE.match(ch):
            out.append(_char_initial(ch))
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def name_key(text: str) -> str:
    """Case- and width-folded name for prefix search."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`.

    `col >= p AND col < bound(p)` uses a plain B-tree index in every engine,
    where LIKE 'p%' depends on collation settings.
    """
    return prefix + "\U0010ffff"
