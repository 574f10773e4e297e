"""Knowledge-base search on SQLite: two FTS5 tables per article (head: title and tags;
body), each with the facets (hotline, language, tags) the filters match."""

from __future__ import annotations

from agent_console.server.kb_search import KbPlan, facets
from agent_console.server.phrase_match import pair_phrase, token_pairs
from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.knowledge import KnowledgeMixin
from agent_console.server.textkeys import spaced_cjk

HEAD_INSERT = "INSERT INTO kb_head_fts(rowid, title, tags, facets) VALUES (?,?,?,?)"
BODY_INSERT = "INSERT INTO kb_body_fts(rowid, body, facets) VALUES (?,?,?)"
# The same rows as pairs of adjacent tokens (schema step 15).
HEAD_PAIRS_INSERT = "INSERT INTO kb_head_pairs(rowid, title, tags, facets) VALUES (?,?,?,?)"
BODY_PAIRS_INSERT = "INSERT INTO kb_body_pairs(rowid, body, facets) VALUES (?,?,?)"
_INDEX_TABLES = ("kb_head_fts", "kb_body_fts", "kb_head_pairs", "kb_body_pairs")


def index_rows(ident: int, data: Row) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """The two index rows of an article: head (title, tags) and body, each with facets."""
    tags = list(data.get("tags", []))
    facet = facets(data.get("hotline", "all"), data.get("language", "zh"), tags)
    head = (ident, spaced_cjk(data["title"]), spaced_cjk(" ".join(tags)), facet)
    return head, (ident, spaced_cjk(data["body"]), facet)


def _phrase(tokens: tuple[str, ...], prefix: bool = False) -> str:
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def fts_filter(plan: KbPlan) -> str:
    """FTS5 conditions for the plan's filters ('' when there are none)."""
    parts: list[str] = []
    if plan.tag_tokens:
        parts.append(f"facets : {_phrase(plan.tag_tokens)}")
    if plan.hotline_words:
        parts.append(f"facets : ({' OR '.join(plan.hotline_words)})")
    if plan.language_word:
        parts.append(f"facets : {plan.language_word}")
    return " AND ".join(parts)


def _all_words(tokens: tuple[str, ...], prefix: bool = False) -> str:
    words = [f'"{t}"' for t in tokens]
    if prefix:
        words[-1] += "*"
    return "(" + " AND ".join(words) + ")"


def pair_rows(
    head: tuple[object, ...], body: tuple[object, ...]
) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """The pair tables' rows for an article's index rows: its texts as token pairs, the
    same facets."""
    ident, title, tags, facet = head
    return (ident, token_pairs(str(title)), token_pairs(str(tags)), facet), (
        body[0],
        token_pairs(str(body[1])),
        body[2],
    )


def fts_probe(column: str, plan: KbPlan, any_order: bool = False) -> tuple[str, str]:
    """(index table, MATCH expression) for one probe of the plan: the query as a
    phrase, or (`any_order`) every token of it anywhere in the column. A phrase of two
    or more tokens is the phrase of its pairs, in the pair tables."""
    table = "kb_body_fts" if column == "body" else "kb_head_fts"
    pairs = None if any_order else pair_phrase(_phrase(plan.tokens, plan.prefix))
    if pairs is not None:
        table = table.replace("_fts", "_pairs")
        expr = f"{column} : {pairs}"
    else:
        words = _all_words if any_order else _phrase
        expr = f"{column} : {words(plan.tokens, plan.prefix)}"
    extra = fts_filter(plan)
    return table, f"{expr} AND {extra}" if extra else expr


class SqliteKnowledgeMixin(KnowledgeMixin):
    def _kb_probe(
        self,
        column: str,
        plan: KbPlan,
        any_order: bool,
        limit: int,
        match: str,
        seen: dict[int, str],
    ) -> None:
        table, expr = fts_probe(column, plan, any_order=any_order)
        for (ident,) in self.db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (expr, limit),
        ):
            seen.setdefault(int(ident), match)

    def _kb_filtered(self, plan: KbPlan) -> list[int]:
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT rowid FROM kb_head_fts WHERE kb_head_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                (fts_filter(plan), plan.limit),
            )
        ]

    def _index_article(self, ident: int, row: Row, replace: bool) -> None:
        if replace:
            for table in _INDEX_TABLES:
                self.db.execute(f"DELETE FROM {table} WHERE rowid = ?", (ident,))
        self._index_articles([(ident, row)])

    def _index_articles(self, pairs: list[tuple[int, Row]]) -> None:
        indexed = [index_rows(i, r) for i, r in pairs]
        self.db.executemany(HEAD_INSERT, [h for h, _ in indexed])
        self.db.executemany(BODY_INSERT, [b for _, b in indexed])
        paired = [pair_rows(h, b) for h, b in indexed]
        self.db.executemany(HEAD_PAIRS_INSERT, [h for h, _ in paired])
        self.db.executemany(BODY_PAIRS_INSERT, [b for _, b in paired])
