"""Knowledge-base search on PostgreSQL: the probes of kb_search in the same order as
SQLite, newest first, all in one read transaction.

A probe matches the article's token strings with LIKE (trigram-indexed), except
where trigrams cannot narrow it: a phrase or word of one or two Chinese characters
("热", "暖气", a tag "不热") is looked up in `kb_text.grams`, a GIN-indexed array of
every CJK character and adjacent pair per column ("body:热", "tags:不热"). With LIKE
alone a rare character read all 50,000 articles (41 ms title, 107 ms body).
"""

from __future__ import annotations

from agent_console.server.kb_search import KbPlan, facets
from agent_console.server.phrase_match import cjk_grams, gram_of, like_pattern, token_string
from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import PostgresCore
from agent_console.server.storage.sql.knowledge import KnowledgeMixin

KB_TEXT_INSERT = "INSERT INTO kb_text(id, title, tags, body, facets, grams) VALUES (?,?,?,?,?,?)"
GRAM_COLUMNS = ("title", "tags", "body")


def kb_grams(title: str, tags: str, body: str) -> list[str]:
    """`column:gram` for every CJK gram of the three searchable columns, sorted."""
    texts = {"title": title, "tags": tags, "body": body}
    return sorted(f"{c}:{g}" for c in GRAM_COLUMNS for g in cjk_grams(texts[c]))


def kb_text_row(ident: int, data: Row) -> tuple[object, ...]:
    tags = list(data.get("tags", []))
    return (
        ident,
        token_string(data["title"]),
        token_string(" ".join(tags)),
        token_string(data["body"]),
        token_string(facets(data.get("hotline", "all"), data.get("language", "zh"), tags)),
        kb_grams(data["title"], " ".join(tags), data["body"]),
    )


class _Where:
    """Conditions and their parameters, built up probe by probe."""

    def __init__(self) -> None:
        self.sql: list[str] = []
        self.params: list[object] = []
        self.grams: list[str] = []

    def phrase(self, column: str, toks: tuple[str, ...] | list[str], prefix: bool = False) -> None:
        """`column` holds `toks` adjacent: a gram when trigrams cannot narrow it."""
        gram = gram_of(list(toks), prefix)
        if gram is not None:
            self.grams.append(f"{column}:{gram}")
        else:
            self.sql.append(f"{column} LIKE ?")
            self.params.append(like_pattern(toks, prefix))

    def done(self) -> tuple[str, list[object]]:
        sql, params = list(self.sql), list(self.params)
        if self.grams:  # one containment test: GIN intersects the grams' postings
            sql.insert(0, "grams @> ?::text[]")
            params.insert(0, self.grams)
        return " AND ".join(sql), params


def _filters(where: _Where, plan: KbPlan) -> None:
    """Conditions for the plan's filters (tag phrase, hotline, language). The facets'
    CJK tokens are the tags' tokens, so a short Chinese tag is a `tags:` gram."""
    if plan.tag_tokens:
        if gram_of(list(plan.tag_tokens), False) is not None:
            where.phrase("tags", plan.tag_tokens)
        else:
            where.phrase("facets", plan.tag_tokens)
    if plan.hotline_words:
        where.sql.append("(" + " OR ".join("facets LIKE ?" for _ in plan.hotline_words) + ")")
        where.params += [like_pattern([w]) for w in plan.hotline_words]
    if plan.language_word:
        where.sql.append("facets LIKE ?")
        where.params.append(like_pattern([plan.language_word]))


class PgKnowledgeMixin(KnowledgeMixin, PostgresCore):
    def search_kb(
        self,
        query: str,
        limit: int,
        tag: str | None = None,
        hotline: str | None = None,
        language: str | None = None,
    ) -> list[Row]:
        """The shared search (the same probes, in order) in one read transaction."""

        def search() -> list[Row]:
            with self.read():
                return super(PgKnowledgeMixin, self).search_kb(
                    query, limit, tag=tag, hotline=hotline, language=language
                )

        return self.retry_read(search)

    def _kb_probe(
        self,
        column: str,
        plan: KbPlan,
        any_order: bool,
        limit: int,
        match: str,
        seen: dict[int, str],
    ) -> None:
        where = _Where()
        if any_order:
            last = len(plan.tokens) - 1
            for i, t in enumerate(plan.tokens):
                where.phrase(column, [t], plan.prefix and i == last)
        else:
            where.phrase(column, plan.tokens, plan.prefix)
        _filters(where, plan)
        cond, params = where.done()
        sql = f"SELECT id FROM kb_text WHERE {cond} ORDER BY id DESC LIMIT ?"
        for (ident,) in self.db.execute(sql, (*params, limit)):
            seen.setdefault(int(ident), match)

    def _kb_filtered(self, plan: KbPlan) -> list[int]:
        where = _Where()
        _filters(where, plan)
        cond, params = where.done()
        sql = f"SELECT id FROM kb_text WHERE {cond} ORDER BY id DESC LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (*params, plan.limit))]

    def _index_article(self, ident: int, row: Row, replace: bool) -> None:
        if replace:
            self.db.execute("DELETE FROM kb_text WHERE id = ?", (ident,))
        self._index_articles([(ident, row)])

    def _index_articles(self, pairs: list[tuple[int, Row]]) -> None:
        self.db.executemany(KB_TEXT_INSERT, [kb_text_row(i, r) for i, r in pairs])
