"""Review samples of closed tickets, their scores, and coaching back into practice."""

from __future__ import annotations

import json
from collections.abc import Sequence

from agent_console.server.storage.base import Row
from agent_console.server.storage.sql.core import SqlCore

_REVIEW_SELECT = (
    "SELECT r.id, r.agent_id, a.agent_no, a.name, r.ticket_id, r.status, r.scores, r.comment,"
    " v.agent_no AS reviewer_no, r.scored_at, r.sampled_at,"
    " t.summary, t.category, coalesce(c.name_zh, '') AS category_name,"
    " coalesce(c.name_en, '') AS category_name_en, t.station_id AS station,"
    " t.created_at, t.updated_at AS closed_at, t.satisfaction"
    " FROM reviews r JOIN agents a ON a.id = r.agent_id JOIN tickets t ON t.id = r.ticket_id"
    " LEFT JOIN ticket_categories c ON c.id = t.category"
    " LEFT JOIN agents v ON v.id = r.reviewer_id"
)
_COACHING_SELECT = (
    "SELECT k.id, k.review_id, k.agent_id, k.item, k.scenario_id, k.scenario_title,"
    " b.agent_no AS assigned_by_no, k.assigned_at, k.result_id, p.score AS result_score,"
    " p.created_at AS result_at FROM coaching k LEFT JOIN agents b ON b.id = k.assigned_by"
    " LEFT JOIN practice_results p ON p.id = k.result_id"
)
_TICKET_FIELDS = (
    "summary", "category", "category_name", "category_name_en", "station", "created_at",
    "closed_at", "satisfaction",
)  # fmt: skip


def _review(row: Row) -> Row:
    ticket = {k: row.pop(k) for k in _TICKET_FIELDS}
    try:
        scores = json.loads(row["scores"])
    except ValueError:
        scores = {}
    return {**row, "scores": scores if isinstance(scores, dict) else {}, "ticket": ticket}


def _coaching(row: Row) -> Row:
    result_id, score, at = row.pop("result_id"), row.pop("result_score"), row.pop("result_at")
    result = (
        None
        if result_id is None
        else {"session_id": result_id, "score": score, "max_score": 100, "finished_at": at}
    )
    return {**row, "result": result}


class ReviewsMixin(SqlCore):
    def sample_candidates(self, start: str, end: str) -> list[Row]:
        """Production tickets closed in [start, end) (UTC ISO; a closed ticket changes no
        more, so its last change is its closing) that no review has sampled yet."""
        return self.all(
            "SELECT t.id AS ticket_id, t.created_by AS agent_id FROM tickets t"
            " JOIN agents a ON a.id = t.created_by"
            " WHERE t.area = 'production' AND t.status = 'closed'"
            " AND t.updated_at >= ? AND t.updated_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.ticket_id = t.id)"
            " ORDER BY t.id",
            (start, end),
        )

    def add_reviews(self, picks: Sequence[tuple[str, int]], sampled_by: str, at: str) -> list[Row]:
        """A review for each (agent, ticket); a ticket sampled meanwhile is skipped
        (the unique key: never sampled twice)."""
        ids: list[int] = []
        with self.write() as db:
            for agent_id, ticket_id in picks:
                cur = db.execute(
                    "INSERT INTO reviews(agent_id, ticket_id, sampled_by, sampled_at)"
                    " VALUES (?,?,?,?) ON CONFLICT (ticket_id) DO NOTHING",
                    (agent_id, ticket_id, sampled_by, at),
                )
                if cur.rowcount:
                    row = db.execute(
                        "SELECT id FROM reviews WHERE ticket_id = ?", (ticket_id,)
                    ).fetchone()
                    ids.append(int(row[0]))
        return [r for i in ids if (r := self.get_review(i)) is not None]

    def list_reviews(self, agent_id: str | None, status: str | None, limit: int) -> list[Row]:
        sql = _REVIEW_SELECT + " WHERE 1 = 1"
        params: list[object] = []
        if agent_id is not None:
            sql += " AND r.agent_id = ?"
            params.append(agent_id)
        if status:
            sql += " AND r.status = ?"
            params.append(status)
        rows = self.all(sql + " ORDER BY r.id DESC LIMIT ?", (*params, limit))
        coaching = self._coaching_by_review([int(r["id"]) for r in rows])
        return [{**_review(r), "coaching": coaching.get(int(r["id"]), [])} for r in rows]

    def get_review(self, review_id: int) -> Row | None:
        row = self.one(_REVIEW_SELECT + " WHERE r.id = ?", (review_id,))
        if row is None:
            return None
        return {
            **_review(row),
            "coaching": self._coaching_by_review([review_id]).get(review_id, []),
        }

    def score_review(
        self, review_id: int, scores: dict[str, int], comment: str, reviewer: str, at: str
    ) -> Row | None:
        with self.write() as db:
            db.execute(
                "UPDATE reviews SET scores = ?, comment = ?, reviewer_id = ?, scored_at = ?,"
                " status = 'scored' WHERE id = ?",
                (json.dumps(scores, sort_keys=True), comment, reviewer, at, review_id),
            )
        return self.get_review(review_id)

    # -- coaching ---------------------------------------------------------------------
    def _coaching_by_review(self, review_ids: list[int]) -> dict[int, list[Row]]:
        if not review_ids:
            return {}
        marks = ",".join("?" * len(review_ids))
        rows = self.all(
            _COACHING_SELECT + f" WHERE k.review_id IN ({marks}) ORDER BY k.id", tuple(review_ids)
        )
        out: dict[int, list[Row]] = {}
        for r in rows:
            out.setdefault(int(r["review_id"]), []).append(_coaching(r))
        return out

    def add_coaching(self, data: Row) -> Row:
        with self.write() as db:
            coaching_id = self.insert(
                db,
                "INSERT INTO coaching(review_id, agent_id, item, scenario_id, scenario_title,"
                " assigned_by, assigned_at) VALUES (?,?,?,?,?,?,?)",
                (
                    data["review_id"],
                    data["agent_id"],
                    data["item"],
                    data["scenario_id"],
                    data["scenario_title"],
                    data["assigned_by"],
                    data["assigned_at"],
                ),
            )
        row = self.get_coaching(coaching_id)
        assert row is not None
        return row

    def get_coaching(self, coaching_id: int) -> Row | None:
        row = self.one(_COACHING_SELECT + " WHERE k.id = ?", (coaching_id,))
        return None if row is None else _coaching(row)

    def list_coaching(self, agent_id: str | None, limit: int) -> list[Row]:
        sql = _COACHING_SELECT
        params: list[object] = []
        if agent_id is not None:
            sql += " WHERE k.agent_id = ?"
            params.append(agent_id)
        rows = self.all(sql + " ORDER BY k.id DESC LIMIT ?", (*params, limit))
        return [_coaching(r) for r in rows]

    def open_coaching(self, agent_id: str, scenario_id: str) -> Row | None:
        """The agent's oldest assignment of this scenario without a result yet."""
        row = self.one(
            _COACHING_SELECT + " WHERE k.agent_id = ? AND k.scenario_id = ?"
            " AND k.result_id IS NULL ORDER BY k.id LIMIT 1",
            (agent_id, scenario_id),
        )
        return None if row is None else _coaching(row)

    def link_coaching_result(self, coaching_id: int, result_id: int) -> None:
        with self.write() as db:
            db.execute(
                "UPDATE coaching SET result_id = ? WHERE id = ? AND result_id IS NULL",
                (result_id, coaching_id),
            )
