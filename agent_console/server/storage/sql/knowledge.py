"""Knowledge-base articles: search, read, create and update (the index follows in the
same transaction); and the reference lists agents read (categories, stations).

Each engine searches its own index (the abstract methods): FTS5 tables on SQLite,
token strings and grams on PostgreSQL, probed in the same order with the same plan."""

from __future__ import annotations

import itertools
import json
from abc import abstractmethod
from collections.abc import Iterable

from agent_console.server.clock import now_iso
from agent_console.server.kb_search import WORDS_POOL, KbPlan, coverage, plan_kb, word_terms
from agent_console.server.snippets import snippet
from agent_console.server.storage.base import Conflict, ConstraintViolation, NotFound, Row
from agent_console.server.storage.sql.core import SqlCore

_ARTICLE_COLUMNS = "id, slug, title, language, hotline, tags, short_answer, updated_at, updated_by"
_EDITABLE = ("slug", "title", "language", "hotline", "tags", "short_answer", "body")

ARTICLE_INSERT = (
    "INSERT INTO kb_articles(slug, title, language, hotline, tags, short_answer, body, "
    "updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)"
)
#: With the id given (bulk loads number their rows themselves).
ARTICLE_INSERT_ID = (
    "INSERT INTO kb_articles(id, slug, title, language, hotline, tags, short_answer, body, "
    "updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def article_row(data: Row) -> tuple[object, ...]:
    """An article's columns in ARTICLE_INSERT's order (and UPDATE's)."""
    return (
        data["slug"],
        data["title"],
        data.get("language", "zh"),
        data.get("hotline", "all"),
        json.dumps(list(data.get("tags", [])), ensure_ascii=False),
        data.get("short_answer", ""),
        data["body"],
        data["updated_at"],
        data.get("updated_by", ""),
    )


def _article(row: Row) -> Row:
    out = dict(row)
    out["tags"] = json.loads(row["tags"])
    return out


class KnowledgeMixin(SqlCore):
    # -- search ------------------------------------------------------------------
    def search_kb(
        self,
        query: str,
        limit: int,
        tag: str | None = None,
        hotline: str | None = None,
        language: str | None = None,
    ) -> list[Row]:
        """Title hits first, then tags, then body; newest first in each; each probe
        reads at most `limit` rows of its index, so the cost does not grow with how
        many articles share a common term."""
        plan = plan_kb(query, limit, tag=tag, hotline=hotline, language=language)
        if not plan.has_text:
            return [self._hit(r, query, "recent") for r in self._recent(plan)]
        seen: dict[int, str] = {}
        for column in ("title", "tags", "body"):
            if len(seen) >= limit:
                break
            self._kb_probe(column, plan, False, limit, column, seen)
        # Callers' words rarely come in the article's order ("暖气不热" vs "整户不热
        # ... 暖气片"): when the phrase found too little, every word anywhere will do.
        words: dict[int, str] = {}
        terms = word_terms(query)
        if len(seen) < limit and len(terms.split()) > 1:  # "不热" is one word, not two
            for column in ("title", "body"):
                self._kb_probe(column, plan, True, WORDS_POOL * limit, "words", words)
        ids = list(seen)[:limit]
        rows = self._articles_by_id(ids + [i for i in words if i not in seen])
        # Any-order hits, best covered first: the pool is the newest few times `limit`.
        pool = [rows[i] for i in words if i not in seen and i in rows]
        pool.sort(key=lambda r: coverage(terms, r["title"], r["body"]), reverse=True)
        hits = [self._hit(rows[i], query, seen[i]) for i in ids if i in rows]
        return hits + [self._hit(r, terms, "words") for r in pool[: limit - len(hits)]]

    @abstractmethod
    def _kb_probe(
        self,
        column: str,
        plan: KbPlan,
        any_order: bool,
        limit: int,
        match: str,
        seen: dict[int, str],
    ) -> None:
        """Ids whose `column` holds the query (as a phrase, or every word anywhere),
        newest first, at most `limit`, added to `seen` (the engine's own index)."""

    def _recent(self, plan: KbPlan) -> list[Row]:
        cols = f"{_ARTICLE_COLUMNS}, body"
        if plan.tag_tokens:
            ids = self._kb_filtered(plan)
            rows = self._articles_by_id(ids)
            return [rows[i] for i in ids if i in rows]
        sql = f"SELECT {cols} FROM kb_articles"
        where: list[str] = []
        params: list[object] = []
        if plan.hotline_words:
            where.append("hotline IN (?, 'all')")
            params.append(plan.hotline_words[0].removeprefix("hl"))
        if plan.language_word:
            where.append("language = ?")
            params.append(plan.language_word.removeprefix("lang"))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.all(f"{sql} ORDER BY updated_at DESC LIMIT ?", (*params, plan.limit))

    @abstractmethod
    def _kb_filtered(self, plan: KbPlan) -> list[int]:
        """Ids of the newest articles that pass the plan's filters (a tag given)."""

    def _articles_by_id(self, ids: list[int]) -> dict[int, Row]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            r["id"]: dict(r)
            for r in self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS}, body FROM kb_articles WHERE id IN ({marks})",
                tuple(ids),
            )
        }

    @staticmethod
    def _hit(row: Row, query: str, match: str) -> Row:
        text, highlights = snippet(row.pop("body"), query)
        hit = _article(row)
        hit.update(snippet=text, highlights=highlights, match=match)
        return hit

    # -- read --------------------------------------------------------------------
    def get_article(self, article_id: int) -> Row | None:
        row = self.one(
            f"SELECT {_ARTICLE_COLUMNS}, body, "
            "(SELECT count(*) FROM kb_flags f WHERE f.article_id = a.id AND f.status = 'open')"
            " AS open_flags FROM kb_articles a WHERE id = ?",
            (article_id,),
        )
        return _article(row) if row else None

    # -- write (editors) ---------------------------------------------------------
    def create_article(self, data: Row, editor: str) -> Row:
        """A new article, searchable as soon as this returns (same transaction)."""
        row = {**data, "updated_at": now_iso(), "updated_by": editor}
        try:
            with self.write() as db:
                ident = self.insert(db, ARTICLE_INSERT, article_row(row))
                self._index_article(ident, row, replace=False)
        except ConstraintViolation as exc:
            raise Conflict(f"an article with slug {data['slug']!r} already exists") from exc
        created = self.get_article(ident)
        assert created is not None
        return created

    def update_article(self, article_id: int, changes: Row, editor: str) -> Row:
        """Change an article; its index rows are replaced in the same transaction."""
        try:
            with self.write() as db:
                current = db.execute(
                    "SELECT slug, title, language, hotline, tags, short_answer, body "
                    "FROM kb_articles WHERE id = ?",
                    (article_id,),
                ).fetchone()
                if current is None:
                    raise NotFound(f"no article with id {article_id}")
                row = _article(dict(current))
                row.update({k: v for k, v in changes.items() if k in _EDITABLE})
                row.update(updated_at=now_iso(), updated_by=editor)
                db.execute(
                    "UPDATE kb_articles SET slug=?, title=?, language=?, hotline=?, tags=?, "
                    "short_answer=?, body=?, updated_at=?, updated_by=? WHERE id=?",
                    (*article_row(row), article_id),
                )
                self._index_article(article_id, row, replace=True)
        except ConstraintViolation as exc:
            raise Conflict(f"an article with slug {changes.get('slug')!r} already exists") from exc
        updated = self.get_article(article_id)
        assert updated is not None
        return updated

    def bulk_load_articles(self, rows: Iterable[Row], batch: int = 20000) -> int:
        """Demo data and synthetic seeding: articles and both index rows, per batch."""
        n = 0
        it = iter(rows)
        while chunk := list(itertools.islice(it, batch)):
            with self.write() as db:
                start = (db.execute("SELECT max(id) FROM kb_articles").fetchone()[0] or 0) + 1
                ids = range(start, start + len(chunk))
                pairs = list(zip(ids, chunk, strict=True))
                db.executemany(ARTICLE_INSERT_ID, [(i, *article_row(r)) for i, r in pairs])
                self._index_articles(pairs)
            n += len(chunk)
        return n

    @abstractmethod
    def _index_article(self, ident: int, row: Row, replace: bool) -> None:
        """Write an article's index rows inside the open write transaction."""

    @abstractmethod
    def _index_articles(self, pairs: list[tuple[int, Row]]) -> None:
        """Index rows of new articles (id, article) inside the open write transaction."""

    # -- reference lists ---------------------------------------------------------
    def list_categories(self) -> list[Row]:
        return self.all("SELECT * FROM ticket_categories ORDER BY sort, id")

    def category_exists(self, category_id: str) -> bool:
        return (
            self.one("SELECT 1 AS x FROM ticket_categories WHERE id = ?", (category_id,))
            is not None
        )

    def list_stations(self) -> list[Row]:
        return self.all("SELECT * FROM stations ORDER BY code")

    def list_compounds(self) -> list[Row]:
        return self.all("SELECT name, district, served, station FROM compounds ORDER BY name")
