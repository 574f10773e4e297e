"""Knowledge-base articles, scripts, ticket categories, stations, hotlines."""

from __future__ import annotations

import json

from agent_console.server.snippets import snippet
from agent_console.server.storage.base import Row
from agent_console.server.storage.sqlite.core import SQLiteCore
from agent_console.server.textkeys import fts_phrase, spaced_cjk

_ARTICLE_COLUMNS = "id, slug, title, language, hotline, tags, short_answer, updated_at, updated_by"

ARTICLE_INSERT = (
    "INSERT INTO kb_articles(slug, title, language, hotline, tags, short_answer, body, "
    "updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)"
)
ARTICLE_FTS_INSERT = "INSERT INTO kb_fts(rowid, title, tags, body) VALUES (?,?,?,?)"


def article_index_row(data: Row) -> tuple[object, ...]:
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


def article_fts_row(ident: int, data: Row) -> tuple[object, ...]:
    return (
        ident,
        spaced_cjk(data["title"]),
        spaced_cjk(" ".join(data.get("tags", []))),
        spaced_cjk(data["body"]),
    )


def _article(row: Row) -> Row:
    out = dict(row)
    out["tags"] = json.loads(row["tags"])
    return out


class KnowledgeMixin(SQLiteCore):
    def search_kb(self, query: str, limit: int) -> list[Row]:
        """Title hits first, then tags, then body; each probe bounded by `limit`.

        bm25 over a term that matches half of 50,000 articles costs 55-110 ms, so the
        ranking here is by where the hit is, with newest first inside each group.
        """
        phrase = fts_phrase(query)
        if phrase is None:
            rows = self.all(
                f"SELECT {_ARTICLE_COLUMNS}, body FROM kb_articles "
                "ORDER BY updated_at DESC LIMIT ?",
                (limit,),
            )
            return [self._hit(r, query, "recent") for r in rows]
        seen: dict[int, str] = {}
        for column in ("title", "tags", "body"):
            if len(seen) >= limit:
                break
            for (ident,) in self.db.execute(
                "SELECT rowid FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                (f"{column} : {phrase}", limit),
            ):
                seen.setdefault(ident, column)
        ids = list(seen)[:limit]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: dict(r)
            for r in self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS}, body FROM kb_articles WHERE id IN ({marks})",
                tuple(ids),
            )
        }
        return [self._hit(rows[i], query, seen[i]) for i in ids]

    @staticmethod
    def _hit(row: Row, query: str, match: str) -> Row:
        text, highlights = snippet(row.pop("body"), query)
        hit = _article(row)
        hit.update(snippet=text, highlights=highlights, match=match)
        return hit

    def get_article(self, article_id: int) -> Row | None:
        row = self.one(
            f"SELECT {_ARTICLE_COLUMNS}, body FROM kb_articles WHERE id = ?", (article_id,)
        )
        return _article(row) if row else None

    def list_scripts(self, hotline: str | None, language: str | None) -> list[Row]:
        sql = "SELECT * FROM scripts WHERE 1=1"
        params: list[str] = []
        if hotline:
            sql += " AND hotline = ?"
            params.append(hotline)
        if language:
            sql += " AND language = ?"
            params.append(language)
        return self.all(sql + " ORDER BY hotline, language, sort, id", tuple(params))

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

    def list_hotlines(self) -> list[Row]:
        return self.all("SELECT * FROM hotlines ORDER BY code")
