"""Agents flag an article as outdated or wrong; editors see the open flags and resolve them."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import NotFound, Row
from agent_console.server.storage.sql.core import SqlCore

_FLAG_SELECT = (
    "SELECT f.id, f.article_id, a.title AS article_title, f.agent_id, "
    "coalesce(g.name, '') AS agent_name, f.reason, f.comment, f.status, f.created_at, "
    "f.resolved_at, f.resolved_by FROM kb_flags f "
    "JOIN kb_articles a ON a.id = f.article_id LEFT JOIN agents g ON g.id = f.agent_id"
)


class KbFlagsMixin(SqlCore):
    def flag_article(self, article_id: int, reason: str, comment: str, agent_id: str) -> Row:
        with self.write() as db:
            found = db.execute("SELECT 1 FROM kb_articles WHERE id = ?", (article_id,))
            if found.fetchone() is None:
                raise NotFound(f"no article with id {article_id}")
            ident = self.insert(
                db,
                "INSERT INTO kb_flags(article_id, agent_id, reason, comment, created_at) "
                "VALUES (?,?,?,?,?)",
                (article_id, agent_id, reason, comment, now_iso()),
            )
        return self._flag(ident)

    def _flag(self, flag_id: int) -> Row:
        row = self.one(f"{_FLAG_SELECT} WHERE f.id = ?", (flag_id,))
        if row is None:
            raise NotFound(f"no flag with id {flag_id}")
        return row

    def list_flags(self, status: str | None, article_id: int | None, limit: int) -> list[Row]:
        """Newest first; an editor's work list is `status='open'`."""
        where: list[str] = []
        params: list[object] = []
        if status:
            where.append("f.status = ?")
            params.append(status)
        if article_id is not None:
            where.append("f.article_id = ?")
            params.append(article_id)
        sql = _FLAG_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return self.all(f"{sql} ORDER BY f.id DESC LIMIT ?", (*params, limit))

    def resolve_flag(self, flag_id: int, agent_id: str) -> Row:
        with self.write() as db:
            cur = db.execute(
                "UPDATE kb_flags SET status = 'resolved', resolved_at = ?, resolved_by = ? "
                "WHERE id = ?",
                (now_iso(), agent_id, flag_id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no flag with id {flag_id}")
        return self._flag(flag_id)
