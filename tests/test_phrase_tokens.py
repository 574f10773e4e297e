"""The plain-text shortcut of phrase_match gives exactly the tokens, token strings and
grams of the full folding (what SQLite's unicode61 sees), so both engines still match
alike after a bulk load or a migration."""

from __future__ import annotations

import random

import pytest

from agent_console.server import phrase_match as pm


def _folded(text: str) -> tuple[list[str], str, list[str]]:
    """The long way: fold (NFKC, spacing, NFKD, no marks, NFC), then tokenise."""
    toks = pm._TOKEN.findall(pm._fold(text))
    return toks, (f" {pm._join(toks)} " if toks else ""), sorted(pm._grams(toks))


SAMPLES = [
    "",
    "   ",
    "王芳",
    "新城区海拉尔东街海东花园11号楼3单元1704",
    "Beijing University 北京大学 (East Gate)",
    "A_b-C.d,e;f:g!h?i'j\"k[l]m{n}o/p\\q|r~s`t@u#v$w%x^y&z*1+2=3<4>5",
    "ABC123xyz 号楼",
    "海 东  花园",
    "12号 楼A3单元",
    "\u3400\u4dbf\u4e00\u9fff",
    "café Ｆｕｌｌ ｗｉｄｔｈ １２３",  # not plain: the long way
    "\uf900\uf901 𠀀𠀁 compat",
    "tab\tand\nnewline",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_tokens_strings_and_grams_match_the_full_folding(text: str) -> None:
    toks, string, grams = _folded(text)
    assert pm.tokens(text) == toks
    assert pm.indexed(text) == (string, grams)
    assert pm.token_string(text) == string
    assert sorted(pm.cjk_grams(text)) == grams


def test_random_mixtures_of_cjk_ascii_and_others_match_the_full_folding() -> None:
    rng = random.Random(19)
    alphabet = (
        [chr(c) for c in range(0x20, 0x7F)]
        + [chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(40)]
        + [chr(rng.randint(0x3400, 0x4DBF)) for _ in range(10)]
        + ["é", "Ａ", "１", "\u00a0", "·", "—", "\uf900", "\U00020001", "ß", "İ"]
    )
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        toks, string, grams = _folded(text)
        assert pm.tokens(text) == toks, text
        assert pm.indexed(text) == (string, grams), text


def test_every_plain_cjk_character_is_one_token_as_folding_makes_it() -> None:
    for start, end in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF)):
        text = "".join(chr(c) for c in range(start, end + 1))
        assert pm.tokens(text) == _folded(text)[0]
