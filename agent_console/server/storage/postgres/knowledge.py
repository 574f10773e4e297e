"""Knowledge-base search on PostgreSQL: the probes of kb_search in the same order as
SQLite, each a LIKE on the article's token strings (trigram-indexed), newest first."""

from __future__ import annotations

from agent_console.server.kb_search import KbPlan, facets
from agent_console.server.phrase_match import like_pattern, token_string
from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import PostgresCore

_TEXT_INSERT = "INSERT INTO kb_text(id, title, tags, body, facets) VALUES (?,?,?,?,?)"


def kb_text_row(ident: int, data: Row) -> tuple[object, ...]:
    tags = list(data.get("tags", []))
    return (
        ident,
        token_string(data["title"]),
        token_string(" ".join(tags)),
        token_string(data["body"]),
        token_string(facets(data.get("hotline", "all"), data.get("language", "zh"), tags)),
    )


def filter_sql(plan: KbPlan) -> tuple[list[str], list[object]]:
    """Conditions on `facets` for the plan's filters (tag phrase, hotline, language)."""
    where: list[str] = []
    params: list[object] = []
    if plan.tag_tokens:
        where.append("facets LIKE ?")
        params.append(like_pattern(plan.tag_tokens))
    if plan.hotline_words:
        where.append("(" + " OR ".join("facets LIKE ?" for _ in plan.hotline_words) + ")")
        params += [like_pattern([w]) for w in plan.hotline_words]
    if plan.language_word:
        where.append("facets LIKE ?")
        params.append(like_pattern([plan.language_word]))
    return where, params


class PgKnowledgeMixin(PostgresCore):
    def _kb_probe(
        self,
        column: str,
        plan: KbPlan,
        any_order: bool,
        limit: int,
        match: str,
        seen: dict[int, str],
    ) -> None:
        if any_order:
            last = len(plan.tokens) - 1
            where = [f"{column} LIKE ?" for _ in plan.tokens]
            params: list[object] = [
                like_pattern([t], plan.prefix and i == last) for i, t in enumerate(plan.tokens)
            ]
        else:
            where, params = [f"{column} LIKE ?"], [like_pattern(plan.tokens, plan.prefix)]
        more, more_params = filter_sql(plan)
        sql = f"SELECT id FROM kb_text WHERE {' AND '.join(where + more)} ORDER BY id DESC LIMIT ?"
        for (ident,) in self.db.execute(sql, (*params, *more_params, limit)):
            seen.setdefault(ident, match)

    def _kb_filtered(self, plan: KbPlan) -> list[int]:
        where, params = filter_sql(plan)
        sql = f"SELECT id FROM kb_text WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (*params, plan.limit))]

    def _index_article(self, ident: int, row: Row, replace: bool) -> None:
        if replace:
            self.db.execute("DELETE FROM kb_text WHERE id = ?", (ident,))
        self._index_articles([(ident, row)])

    def _index_articles(self, pairs: list[tuple[int, Row]]) -> None:
        self.db.executemany(_TEXT_INSERT, [kb_text_row(i, r) for i, r in pairs])
