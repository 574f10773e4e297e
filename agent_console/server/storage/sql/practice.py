"""Practice mode: results per trainee, raised hands, mentor hints, current activity.

Plain SQL any engine runs; the aggregates (where a trainee loses time, comparisons)
are computed outside storage, in server/practice_stats.py.
"""

from __future__ import annotations

import json

from agent_console.server.clock import now_iso
from agent_console.server.storage.base import (
    Conflict,
    ConstraintViolation,
    Invalid,
    NotFound,
    Row,
)
from agent_console.server.storage.sql.core import SqlCore

_RESULT_COLUMNS = (
    "r.id, r.trainee_id, a.name AS trainee_name, r.scenario_id, r.title, r.hotline, "
    "r.difficulty, r.drill_id, r.score, r.duration_s, r.par_s, r.keystrokes, "
    "r.fastest_keystrokes, r.hints, r.mentor_hints, r.hands, r.created_at"
)
_ITEM_COLUMNS = "result_id, item_id AS id, label, skill, weight, met, at_s, took_s, why"
_HAND_COLUMNS = (
    "h.id, h.trainee_id, a.name AS trainee_name, h.scenario_id, h.step, h.note, h.status, "
    "h.mentor_id, h.raised_at, h.updated_at"
)
_HINT_COLUMNS = (
    "t.id, t.trainee_id, t.mentor_id, m.name AS mentor_name, t.hand_id, t.text, t.canned, "
    "t.created_at, t.seen_at"
)
OPEN_HAND = ("raised", "taken")


class PracticeMixin(SqlCore):
    # -- results -------------------------------------------------------------------
    def add_practice_result(self, trainee_id: str, data: Row) -> Row:
        with self.write() as db:
            result_id = self.insert(
                db,
                "INSERT INTO practice_results(trainee_id, scenario_id, title, hotline, "
                "difficulty, drill_id, score, duration_s, par_s, keystrokes, "
                "fastest_keystrokes, hints, mentor_hints, hands, timeline, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    trainee_id,
                    data["scenario_id"],
                    data.get("title", ""),
                    data.get("hotline", ""),
                    data.get("difficulty", 1),
                    data.get("drill_id", ""),
                    data["score"],
                    data["duration_s"],
                    data.get("par_s", 0),
                    data.get("keystrokes", 0),
                    data.get("fastest_keystrokes", 0),
                    data.get("hints", 0),
                    data.get("mentor_hints", 0),
                    data.get("hands", 0),
                    json.dumps(data.get("timeline", []), ensure_ascii=False),
                    now_iso(),
                ),
            )
            db.executemany(
                "INSERT INTO practice_result_items(result_id, position, item_id, label, skill, "
                "weight, met, at_s, took_s, why) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        result_id,
                        i,
                        item["id"],
                        item.get("label", ""),
                        item.get("skill", ""),
                        item.get("weight", 0),
                        1 if item["met"] else 0,
                        item.get("at_s"),
                        item.get("took_s"),
                        item.get("why", ""),
                    )
                    for i, item in enumerate(data.get("items", []))
                ],
            )
        result = self.get_practice_result(result_id)
        assert result is not None
        return result

    def _with_items(self, rows: list[Row]) -> list[Row]:
        if not rows:
            return rows
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        items = self.all(
            f"SELECT {_ITEM_COLUMNS} FROM practice_result_items "
            f"WHERE result_id IN ({marks}) ORDER BY result_id, position",
            tuple(ids),
        )
        by_result: dict[int, list[Row]] = {i: [] for i in ids}
        for item in items:
            result_id = item.pop("result_id")
            item["met"] = bool(item["met"])
            by_result[result_id].append(item)
        for row in rows:
            row["items"] = by_result[row["id"]]
        return rows

    def list_practice_results(
        self, trainee_id: str | None, scenario_id: str | None, limit: int
    ) -> list[Row]:
        """Newest first, each with its rubric items."""
        sql = (
            f"SELECT {_RESULT_COLUMNS} FROM practice_results r "
            "JOIN agents a ON a.id = r.trainee_id WHERE 1 = 1"
        )
        params: list[object] = []
        if trainee_id is not None:
            sql += " AND r.trainee_id = ?"
            params.append(trainee_id)
        if scenario_id is not None:
            sql += " AND r.scenario_id = ?"
            params.append(scenario_id)
        rows = self.all(sql + " ORDER BY r.id DESC LIMIT ?", (*params, limit))
        return self._with_items(rows)

    def get_practice_result(self, result_id: int) -> Row | None:
        row = self.one(
            f"SELECT {_RESULT_COLUMNS}, r.timeline FROM practice_results r "
            "JOIN agents a ON a.id = r.trainee_id WHERE r.id = ?",
            (result_id,),
        )
        if row is None:
            return None
        row["timeline"] = json.loads(row["timeline"])
        return self._with_items([row])[0]

    def list_trainees(self) -> list[Row]:
        return self.all(
            "SELECT id, name, agent_no, hotline FROM agents WHERE role = 'trainee' ORDER BY id"
        )

    # -- raised hands --------------------------------------------------------------
    def _hand(self, hand_id: int) -> Row | None:
        return self.one(
            f"SELECT {_HAND_COLUMNS} FROM practice_hands h "
            "JOIN agents a ON a.id = h.trainee_id WHERE h.id = ?",
            (hand_id,),
        )

    def get_hand(self, hand_id: int) -> Row | None:
        return self._hand(hand_id)

    def raise_hand(self, trainee_id: str, data: Row) -> tuple[Row, bool]:
        """The trainee's open hand, raised now or updated with the new step; True when new."""
        now = now_iso()
        fields = (data.get("scenario_id", ""), data.get("step", ""), data.get("note", ""))
        try:
            with self.write() as db:
                open_hand = db.execute(
                    "SELECT id FROM practice_hands WHERE trainee_id = ? AND status IN (?, ?)",
                    (trainee_id, *OPEN_HAND),
                ).fetchone()
                if open_hand is not None:
                    hand_id, created = int(open_hand[0]), False
                    db.execute(
                        "UPDATE practice_hands SET scenario_id = ?, step = ?, note = ?, "
                        "updated_at = ? WHERE id = ?",
                        (*fields, now, hand_id),
                    )
                else:
                    hand_id, created = (
                        self.insert(
                            db,
                            "INSERT INTO practice_hands(trainee_id, scenario_id, step, note, "
                            "status, raised_at, updated_at) VALUES (?,?,?,?,'raised',?,?)",
                            (trainee_id, *fields, now, now),
                        ),
                        True,
                    )
        except ConstraintViolation as exc:  # a second request raced this one
            raise Conflict("this trainee's hand is already up") from exc
        hand = self._hand(hand_id)
        assert hand is not None
        return hand, created

    def list_hands(self, trainee_id: str | None, open_only: bool, limit: int) -> list[Row]:
        """Oldest first when listing open hands (first raised, first helped)."""
        sql = f"SELECT {_HAND_COLUMNS} FROM practice_hands h JOIN agents a ON a.id = h.trainee_id"
        where: list[str] = []
        params: list[object] = []
        if trainee_id is not None:
            where.append("h.trainee_id = ?")
            params.append(trainee_id)
        if open_only:
            where.append("h.status IN (?, ?)")
            params += list(OPEN_HAND)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY h.id" if open_only else " ORDER BY h.id DESC"
        return self.all(sql + " LIMIT ?", (*params, limit))

    def update_hand(self, hand_id: int, status: str, mentor_id: str | None) -> Row:
        with self.write() as db:
            row = db.execute(
                "SELECT status FROM practice_hands WHERE id = ?", (hand_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no raised hand {hand_id}")
            if row[0] not in OPEN_HAND:
                raise Conflict(f"hand {hand_id} is already {row[0]}")
            db.execute(
                "UPDATE practice_hands SET status = ?, mentor_id = COALESCE(?, mentor_id), "
                "updated_at = ? WHERE id = ?",
                (status, mentor_id, now_iso(), hand_id),
            )
        hand = self._hand(hand_id)
        assert hand is not None
        return hand

    # -- mentor hints ----------------------------------------------------------------
    def add_practice_hint(self, mentor_id: str, data: Row) -> Row:
        """Store a hint for a trainee; a hint answering a hand marks that hand answered."""
        now = now_iso()
        trainee_id = data["trainee_id"]
        hand_id = data.get("hand_id")
        with self.write() as db:
            trainee = db.execute("SELECT role FROM agents WHERE id = ?", (trainee_id,)).fetchone()
            if trainee is None or trainee[0] != "trainee":
                raise Invalid("trainee_id", f"no trainee {trainee_id}")
            if hand_id is not None:
                hand = db.execute(
                    "SELECT trainee_id, status FROM practice_hands WHERE id = ?", (hand_id,)
                ).fetchone()
                if hand is None or hand[0] != trainee_id:
                    raise Invalid("hand_id", f"no raised hand {hand_id} of trainee {trainee_id}")
                if hand[1] in OPEN_HAND:
                    db.execute(
                        "UPDATE practice_hands SET status = 'answered', mentor_id = ?, "
                        "updated_at = ? WHERE id = ?",
                        (mentor_id, now, hand_id),
                    )
            hint_id = self.insert(
                db,
                "INSERT INTO practice_hints(trainee_id, mentor_id, hand_id, text, canned, "
                "created_at) VALUES (?,?,?,?,?,?)",
                (trainee_id, mentor_id, hand_id, data["text"], data.get("canned", ""), now),
            )
        hint = self._hint(hint_id)
        assert hint is not None
        return hint

    def _hint(self, hint_id: int) -> Row | None:
        return self.one(
            f"SELECT {_HINT_COLUMNS} FROM practice_hints t "
            "JOIN agents m ON m.id = t.mentor_id WHERE t.id = ?",
            (hint_id,),
        )

    def get_practice_hint(self, hint_id: int) -> Row | None:
        return self._hint(hint_id)

    def list_practice_hints(
        self, trainee_id: str | None, unseen_only: bool, after_id: int, limit: int
    ) -> list[Row]:
        """In the order they were sent; `after_id` lets a poller ask only for new ones."""
        sql = (
            f"SELECT {_HINT_COLUMNS} FROM practice_hints t "
            "JOIN agents m ON m.id = t.mentor_id WHERE t.id > ?"
        )
        params: list[object] = [after_id]
        if trainee_id is not None:
            sql += " AND t.trainee_id = ?"
            params.append(trainee_id)
        if unseen_only:
            sql += " AND t.seen_at IS NULL"
        return self.all(sql + " ORDER BY t.id LIMIT ?", (*params, limit))

    def mark_hint_seen(self, hint_id: int) -> Row:
        with self.write() as db:
            db.execute(
                "UPDATE practice_hints SET seen_at = COALESCE(seen_at, ?) WHERE id = ?",
                (now_iso(), hint_id),
            )
        hint = self._hint(hint_id)
        if hint is None:
            raise NotFound(f"no hint {hint_id}")
        return hint

    # -- what each trainee is doing ------------------------------------------------------
    def set_practice_activity(self, trainee_id: str, data: Row) -> Row:
        now = now_iso()
        with self.write() as db:
            db.execute(
                "INSERT INTO practice_activity(trainee_id, scenario_id, title, step, updated_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT(trainee_id) DO UPDATE SET "
                "scenario_id = excluded.scenario_id, title = excluded.title, "
                "step = excluded.step, updated_at = excluded.updated_at",
                (
                    trainee_id,
                    data.get("scenario_id", ""),
                    data.get("title", ""),
                    data.get("step", ""),
                    now,
                ),
            )
        rows = self.list_practice_activity(trainee_id)
        return rows[0]

    def list_practice_activity(self, trainee_id: str | None = None) -> list[Row]:
        """Every trainee with what they last reported and their open hand, if any."""
        sql = (
            "SELECT a.id AS trainee_id, a.name AS trainee_name, "
            "COALESCE(p.scenario_id, '') AS scenario_id, COALESCE(p.title, '') AS title, "
            "COALESCE(p.step, '') AS step, p.updated_at, h.id AS hand_id "
            "FROM agents a LEFT JOIN practice_activity p ON p.trainee_id = a.id "
            "LEFT JOIN practice_hands h ON h.trainee_id = a.id AND h.status IN (?, ?) "
            "WHERE a.role = 'trainee'"
        )
        params: list[object] = list(OPEN_HAND)
        if trainee_id is not None:
            sql += " AND a.id = ?"
            params.append(trainee_id)
        return self.all(sql + " ORDER BY a.id", tuple(params))
