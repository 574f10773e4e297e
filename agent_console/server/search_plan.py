"""What to look for, in which order, for a query typed into a lookup box.

Engine-independent: each storage engine runs the probes with its own indexes,
so SQLite and PostgreSQL rank the same data the same way. Every probe is an
index range scan with a LIMIT; no probe reads a table end to end.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from agent_console.server.textkeys import digits_only, fts_phrase, has_cjk, name_key

MIN_PREFIX_DIGITS = 3
MIN_SUFFIX_DIGITS = 4
_DIGITISH = re.compile(r"^[\d\s\-+()]+$")
_LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Probe:
    kind: str  # what the agent sees on the hit: phone, account, name, initials, ...
    how: str  # exact | prefix | suffix | fts
    column: str  # logical column the engine maps to an index
    value: str


def _normal(query: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", query).strip().lower().split())


def _digit_probes(digits: str, number: str, with_account: bool) -> list[Probe]:
    probes: list[Probe] = []
    if len(digits) >= 7:
        probes.append(Probe(number, "exact", number, digits))
    if with_account and len(digits) >= 6:
        probes.append(Probe("account", "exact", "account", digits))
    suffix = (
        [Probe(f"{number}_suffix", "suffix", number, digits[::-1])]
        if len(digits) >= MIN_SUFFIX_DIGITS
        else []
    )
    prefix = (
        [Probe(f"{number}_prefix", "prefix", number, digits)]
        if len(digits) >= MIN_PREFIX_DIGITS
        else []
    )
    # Four to six digits are usually "the last digits" (尾号); longer ones a number typed
    # from its start.
    probes += suffix + prefix if len(digits) <= 6 else prefix + suffix
    if with_account and len(digits) >= MIN_PREFIX_DIGITS:
        probes.append(Probe("account", "prefix", "account", digits))
    return probes


def _text_probes(q: str, fts_columns: tuple[str, ...]) -> list[Probe]:
    probes: list[Probe] = []
    compact = q.replace(" ", "")
    if _LETTERS.match(compact):
        probes.append(Probe("initials", "prefix", "initials", compact))
    probes.append(Probe("name", "prefix", "name", name_key(q)))
    phrase = fts_phrase(q)
    if phrase is not None:
        probes += [Probe(col, "fts", col, phrase) for col in fts_columns]
    return probes


def plan_callers(query: str) -> list[Probe]:
    q = _normal(query)
    if not q:
        return []
    if _DIGITISH.match(q):
        return _digit_probes(digits_only(q), "phone", with_account=True)
    return _text_probes(q, ("name", "compound", "address"))


def plan_directory(query: str) -> list[Probe]:
    q = _normal(query)
    if not q:
        return []
    if _DIGITISH.match(q):
        return _digit_probes(digits_only(q), "number", with_account=False)
    return _text_probes(q, ("name", "department", "address"))


def is_cjk_query(query: str) -> bool:
    return has_cjk(query)
