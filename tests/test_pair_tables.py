"""SQLite's pair, triple, five and seven tables (schema steps 14, 16, 17, 18): a phrase
of two Chinese characters is looked up as the phrase of its pairs, one of three or four
as the phrase of its triples, a longer one as the phrase of its runs of five or seven
where the column has them, and each must find exactly what the phrase of its
characters finds; a database made before the steps gets its grams from them."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from agent_console.server.phrase_match import (
    five_phrase,
    pair_phrase,
    seven_phrase,
    token_fives,
    token_pairs,
    token_sevens,
    token_triples,
    triple_phrase,
)
from agent_console.server.search_plan import Probe
from agent_console.server.storage import open_storage
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.callers import CALLERS
from agent_console.server.storage.sql.core import SearchTarget
from agent_console.server.storage.sql.directory import DIRECTORY
from agent_console.server.storage.sqlite import SQLiteStorage
from agent_console.server.storage.sqlite.knowledge import SqliteKnowledgeMixin
from agent_console.server.storage.sqlite.search import SqliteSearchMixin, probe_sql
from agent_console.server.textkeys import fts_phrase
from tests.test_search_engines import (
    KB_SHORT_QUERIES,
    _complete,
    caller_queries,
    directory_queries,
    kb_queries,
)

#: Texts where a careless pair index would go wrong: two runs whose pairs would meet
#: (甲乙x乙丙 must not hold 甲乙丙), punctuation and spaces between characters (still
#: adjacent tokens), full-width and compatibility forms, a character outside the BMP.
EDGES = [
    "甲乙x乙丙路",
    "青城，公寓 3号楼",
    "青城 公寓",
    "东河·嘉园ＡＢ",
    "Beijing University of Café Studies, Wi-Fi 3号楼",
    "豈樂路𠀀𠀁號",
    "单",
    "",
]
EDGE_QUERIES = ["甲乙丙", "甲乙", "乙丙", "乙丙路", "青城公寓", "城公", "东河嘉园", "豈樂", "𠀀𠀁"]
EDGE_QUERIES += [
    "乙x乙",
    "x乙丙",
    "公寓 3",
    "3号楼",
    "号楼3",
    "嘉园ab",
    "园a",
    "东河·嘉",
    "青城 公",
    "青城公寓3号楼",  # seven tokens and more: the table of sevens
    "青城，公寓 3号楼",
    "of Café Studies, Wi-Fi 3号",
    "University of Cafe Studies Wi Fi 3号楼",
]


def test_pair_text_is_every_two_adjacent_tokens() -> None:
    assert token_pairs("王秀英") == "王|秀 秀|英"
    assert token_pairs("甲乙x乙丙") == "甲|乙 乙|x x|乙 乙|丙"
    assert token_pairs("12号楼, Wi-Fi") == "12|号 号|楼 楼|wi wi|fi"
    assert token_pairs("单") == "" and token_pairs("") == ""
    assert pair_phrase('"王 秀 英"') == '"王|秀 秀|英"'
    assert pair_phrase('"王"') is None and pair_phrase('"ab"*') is None
    assert pair_phrase('"3 号 楼"') == '"3|号 号|楼"'
    assert pair_phrase('"王 ab"*') == '"王|ab"*'


def test_triple_text_is_every_three_adjacent_tokens() -> None:
    assert token_triples("王秀英") == "王|秀|英"
    assert token_triples("甲乙x乙丙") == "甲|乙|x 乙|x|乙 x|乙|丙"
    assert token_triples("12号楼, Wi-Fi") == "12|号|楼 号|楼|wi 楼|wi|fi"
    assert token_triples("王秀") == "" and token_triples("") == ""
    assert triple_phrase('"小 区 大 学"') == '"小|区|大 区|大|学"'
    assert triple_phrase('"王 秀"') is None and triple_phrase('"ab"*') is None
    assert triple_phrase('"王 秀 ab"*') == '"王|秀|ab"*'


def test_five_text_is_every_five_adjacent_tokens() -> None:
    assert token_fives("丰州路望园花园") == "丰|州|路|望|园 州|路|望|园|花 路|望|园|花|园"
    assert token_fives("望园花园") == "" and token_fives("") == ""
    assert five_phrase('"丰 州 路 望 园 花"') == '"丰|州|路|望|园 州|路|望|园|花"'
    assert five_phrase('"望 园 花 园"') is None
    assert five_phrase('"3 号 楼 2 单 ab"*') == '"3|号|楼|2|单 号|楼|2|单|ab"*'


def test_seven_text_is_every_seven_adjacent_tokens() -> None:
    assert token_sevens("鄂尔多斯大街银河") == "鄂|尔|多|斯|大|街|银 尔|多|斯|大|街|银|河"
    assert token_sevens("鄂尔多斯大街") == "" and token_sevens("") == ""
    assert seven_phrase('"鄂 尔 多 斯 大 街 银"') == '"鄂|尔|多|斯|大|街|银"'
    assert seven_phrase('"丰 州 路 望 园 花"') is None
    assert seven_phrase('"3 号 楼 2 单 元 ab"*') == '"3|号|楼|2|单|元|ab"*'


def test_a_phrase_walks_the_longest_runs_indexed() -> None:
    """Seven tokens or more: the table of sevens where the column has one; five or
    more: fives, where it has them; three or more: the triple table; two: the pair
    table; one: the characters."""
    tables = {}
    for query in (
        "鄂尔多斯大街银河",
        "丰州路望园花",
        "小区大学",
        "青城公寓",
        "王秀英",
        "王秀",
        "王",
    ):
        for column in ("address", "compound"):
            probe = Probe(column, "fts", column, fts_phrase(query) or "")
            tables[query, column] = probe_sql(CALLERS, probe, 20)[0].split()[3]
    assert tables == {
        ("鄂尔多斯大街银河", "address"): "callers_address_sevens",
        ("鄂尔多斯大街银河", "compound"): "callers_compound_triples",
        ("丰州路望园花", "address"): "callers_address_fives",
        ("丰州路望园花", "compound"): "callers_compound_triples",  # no fives there
        ("小区大学", "address"): "callers_address_triples",
        ("小区大学", "compound"): "callers_compound_triples",
        ("青城公寓", "address"): "callers_address_triples",
        ("青城公寓", "compound"): "callers_compound_triples",
        ("王秀英", "address"): "callers_address_triples",
        ("王秀英", "compound"): "callers_compound_triples",
        ("王秀", "address"): "callers_address_pairs",
        ("王秀", "compound"): "callers_compound_pairs",
        ("王", "address"): "callers_address_fts",
        ("王", "compound"): "callers_compound_fts",
    }
    dept = Probe("department", "fts", "department", fts_phrase("客户服务") or "")
    assert probe_sql(DIRECTORY, dept, 20)[0].split()[3] == "directory_department_triples"
    org = Probe("name", "fts", "name", fts_phrase("赛罕区新华社区服务中心") or "")
    assert probe_sql(DIRECTORY, org, 20)[0].split()[3] == "directory_name_sevens"
    org = Probe("name", "fts", "name", fts_phrase("新华社区服务") or "")
    assert probe_sql(DIRECTORY, org, 20)[0].split()[3] == "directory_name_fives"


Hits = list[tuple[int, str]]


def _every_way(
    storage: SqliteSearchMixin, target: SearchTarget, column: str, query: str
) -> tuple[Hits, Hits, Hits, Hits, Hits]:
    """The ids the longest runs indexed find for a query's phrase, the five (or
    shorter) table's (sevens off), the triple (or pair) table's (sevens and fives off),
    the pair table's (triples off too), and the character table's (all four off)."""
    phrase = fts_phrase(query)
    assert phrase is not None
    probe = Probe(column, "fts", column, phrase)
    limit = 100_000

    def hits(t: SearchTarget) -> Hits:
        return storage.run_probes(t, [probe], limit, budget_ms=60_000).hits

    return (
        hits(target),
        hits(replace(target, sevens={})),
        hits(replace(target, sevens={}, fives={})),
        hits(replace(target, sevens={}, fives={}, triples={})),
        hits(replace(target, sevens={}, fives={}, pairs={}, triples={})),
    )


def test_pair_phrases_find_what_character_phrases_find(
    demo_db_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_template, path)
    storage = open_storage(str(path))
    assert isinstance(storage, SqliteSearchMixin)
    for text in EDGES:
        row = {"name": text or "空", "phone": "13900000000", "address": text, "compound": text}
        storage.create_caller(row)
    checked = tripled = fived = sevened = 0
    for target, kinds in ((CALLERS, caller_queries()), (DIRECTORY, directory_queries())):
        queries = [q for qs in kinds.values() for q in qs] + EDGE_QUERIES
        for query in queries:
            if pair_phrase(fts_phrase(query) or "") is None:
                continue
            for column in target.pairs:
                longest, fives, triples, pairs, chars = _every_way(storage, target, column, query)
                assert longest == fives == triples == pairs == chars, (target.table, column, query)
                checked += bool(chars)
                tripled += bool(chars) and triple_phrase(fts_phrase(query) or "") is not None
                fived += (
                    bool(chars)
                    and column in target.fives
                    and five_phrase(fts_phrase(query) or "") is not None
                )
                sevened += (
                    bool(chars)
                    and column in target.sevens
                    and seven_phrase(fts_phrase(query) or "") is not None
                )
    assert checked > 100  # most of them hit: the comparison is not of empty lists
    assert tripled > 50 and fived > 20  # and many through the triple and five tables
    assert sevened > 5, sevened  # and the seven table
    hits = {q: _every_way(storage, CALLERS, "address", q)[0] for q in EDGE_QUERIES[:4]}
    assert not hits["甲乙丙"] and hits["乙丙路"] and hits["甲乙"]
    storage.close()


def _open(path: Path) -> SQLiteStorage:
    storage = open_storage(str(path))
    assert isinstance(storage, SQLiteStorage)
    return storage


def _step13_index_articles(self: SqliteKnowledgeMixin, pairs: list[tuple[int, Row]]) -> None:
    """How a step-13 server indexed articles: the character tables alone."""
    from agent_console.server.storage.sqlite.knowledge import BODY_INSERT, HEAD_INSERT, index_rows

    indexed = [index_rows(i, r) for i, r in pairs]
    self.db.executemany(HEAD_INSERT, [h for h, _ in indexed])
    self.db.executemany(BODY_INSERT, [b for _, b in indexed])


def test_a_database_from_before_steps_14_to_18_gets_its_pairs_triples_fives_and_sevens(
    demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made by a step-13 server (no pair, triple or five tables, no rows written to
    them), then opened by this one: steps 14 to 18 fill them from the indexed texts, and
    every lookup and KB query finds what it finds on a database made by this server."""
    from agent_console.server.demo import load_demo
    from agent_console.server.storage.sqlite import core, schema

    old = tmp_path / "step13.db"
    before_14 = [(v, sql) for v, sql in schema.MIGRATIONS if v < 14]
    with monkeypatch.context() as m:
        m.setattr(core, "MIGRATIONS", before_14)
        m.setattr(core, "LATEST", 13)
        m.setattr("agent_console.server.storage.sqlite.search.pair_inserts", lambda *_: [])
        m.setattr(SqliteKnowledgeMixin, "_index_articles", _step13_index_articles)
        storage = _open(old)
        load_demo(storage)
        assert storage.schema_version() == 13
        storage.close()
    upgraded = _open(old)
    assert upgraded.schema_version() == 18
    fresh = tmp_path / "fresh.db"
    shutil.copy(demo_db_template, fresh)
    made_now = _open(fresh)
    for grams in ("pairs", "triples", "fives", "sevens"):
        n = upgraded.db.execute(f"SELECT count(*) FROM callers_address_{grams}").fetchone()[0]
        assert n > 50
    for search, kinds in (
        ("search_callers", caller_queries()),
        ("search_directory", directory_queries()),
    ):
        for queries in kinds.values():
            for q in queries:
                a = _complete(getattr(upgraded, search), q, 20)  # not cut by the budget
                b = _complete(getattr(made_now, search), q, 20)
                assert [(r["id"], r["match"]) for r in a.items] == [
                    (r["id"], r["match"]) for r in b.items
                ], q
    for q, filters in [*kb_queries(), *KB_SHORT_QUERIES]:
        a = upgraded.search_kb(q, 20, **filters)  # type: ignore[arg-type]
        b = made_now.search_kb(q, 20, **filters)  # type: ignore[arg-type]
        assert [(r["id"], r["match"]) for r in a] == [(r["id"], r["match"]) for r in b], q
    assert upgraded.db.execute("SELECT count(*) FROM kb_body_pairs").fetchone()[0] > 10
    upgraded.close()
    made_now.close()


def test_kb_pair_phrases_find_what_character_phrases_find(
    demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every KB query (filters too) ranks the same with the pair tables as with the
    character tables alone; an edited article's old text is gone from the pairs."""
    from agent_console.server.storage.sqlite import knowledge

    path = tmp_path / "demo.db"
    shutil.copy(demo_db_template, path)
    storage = open_storage(str(path))
    article = storage.search_kb("排气", 1)[0]
    storage.update_article(article["id"], {"title": "甲乙x乙丙", "body": "青城，公寓"}, "t")
    queries = [*kb_queries(), *KB_SHORT_QUERIES, ("甲乙丙", {}), ("乙丙", {}), ("青城公寓", {})]
    queries += [(article["title"], {}), ("暖气片 排气", {"tag": "排气"}), ("青城 公", {})]
    queries += [("radiator val", {}), ("wifi 名", {}), ("the bill", {}), ("x乙", {})]

    def ids() -> list[list[tuple[int, str]]]:
        return [[(r["id"], r["match"]) for r in storage.search_kb(q, 20, **f)] for q, f in queries]

    with_pairs = ids()
    with monkeypatch.context() as m:
        m.setattr(knowledge, "pair_phrase", lambda _: None)
        assert ids() == with_pairs
    found = dict(zip([q for q, _ in queries], with_pairs, strict=False))
    assert found["青城公寓"] == [(article["id"], "body")]
    assert found["甲乙丙"] == [(article["id"], "words")]  # its characters, not the phrase
    assert (article["id"], "title") not in found[article["title"]]
    assert sum(map(bool, with_pairs)) > len(queries) // 2
    storage.close()
