"""Standard phrases, guided scripts and hotlines: data an editor changes without a release."""

from __future__ import annotations

import json
from collections.abc import Iterable

from agent_console.server.clock import now_iso
from agent_console.server.guides import normalise_steps
from agent_console.server.storage.base import Conflict, ConstraintViolation, NotFound, Row
from agent_console.server.storage.sql.core import SqlCore

_SCRIPT_FIELDS = ("hotline", "stage", "language", "time_of_day", "title", "body", "sort")
_GUIDE_FIELDS = (
    "slug",
    "hotline",
    "language",
    "title",
    "keywords",
    "category",
    "priority",
    "summary",
    "start",
    "steps",
    "sort",
)
_GUIDE_INSERT = (
    f"INSERT INTO guides({', '.join(_GUIDE_FIELDS)}, updated_at, updated_by) "
    f"VALUES ({', '.join('?' * (len(_GUIDE_FIELDS) + 2))})"
)


def _guide_params(data: Row, when: str, editor: str) -> tuple[object, ...]:
    values: list[object] = []
    for field in _GUIDE_FIELDS:
        value = data.get(field, "" if field != "sort" else 0)
        if field == "keywords":
            value = json.dumps(list(value or []), ensure_ascii=False)
        elif field == "steps":
            value = json.dumps(normalise_steps(list(value)), ensure_ascii=False)
        values.append(value)
    return (*values, when, editor)


def _guide(row: Row) -> Row:
    out = dict(row)
    out["keywords"] = json.loads(row["keywords"])
    out["steps"] = json.loads(row["steps"])
    return out


class ScriptsMixin(SqlCore):
    # -- phrases -----------------------------------------------------------------
    def list_scripts(self, hotline: str | None, language: str | None) -> list[Row]:
        return self._by_hotline_and_language("scripts", hotline, language)

    def _by_hotline_and_language(
        self, table: str, hotline: str | None, language: str | None
    ) -> list[Row]:
        """Rows of `scripts` or `guides`, optionally for one hotline and language."""
        sql = f"SELECT * FROM {table} WHERE 1=1"
        params: list[str] = []
        if hotline:
            sql += " AND hotline = ?"
            params.append(hotline)
        if language:
            sql += " AND language = ?"
            params.append(language)
        return self.all(sql + " ORDER BY hotline, language, sort, id", tuple(params))

    def create_script(self, data: Row, editor: str) -> Row:
        values = [data.get(f, 0 if f == "sort" else "") for f in _SCRIPT_FIELDS]
        with self.write() as db:
            ident = self.insert(
                db,
                f"INSERT INTO scripts({', '.join(_SCRIPT_FIELDS)}, updated_at, updated_by) "
                f"VALUES ({', '.join('?' * (len(_SCRIPT_FIELDS) + 2))})",
                (*values, now_iso(), editor),
            )
        return self._script(ident)

    def update_script(self, script_id: int, changes: Row, editor: str) -> Row:
        fields = [f for f in _SCRIPT_FIELDS if f in changes]
        sets = ", ".join(f"{f} = ?" for f in [*fields, "updated_at", "updated_by"])
        with self.write() as db:
            cur = db.execute(
                f"UPDATE scripts SET {sets} WHERE id = ?",
                (*(changes[f] for f in fields), now_iso(), editor, script_id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no script with id {script_id}")
        return self._script(script_id)

    def delete_script(self, script_id: int) -> None:
        with self.write() as db:
            if db.execute("DELETE FROM scripts WHERE id = ?", (script_id,)).rowcount == 0:
                raise NotFound(f"no script with id {script_id}")

    def _script(self, script_id: int) -> Row:
        row = self.one("SELECT * FROM scripts WHERE id = ?", (script_id,))
        if row is None:
            raise NotFound(f"no script with id {script_id}")
        return row

    # -- guided scripts ----------------------------------------------------------
    def list_guides(self, hotline: str | None, language: str | None) -> list[Row]:
        return [_guide(r) for r in self._by_hotline_and_language("guides", hotline, language)]

    def get_guide(self, guide_id: int) -> Row | None:
        row = self.one("SELECT * FROM guides WHERE id = ?", (guide_id,))
        return _guide(row) if row else None

    def create_guide(self, data: Row, editor: str) -> Row:
        try:
            with self.write() as db:
                ident = self.insert(db, _GUIDE_INSERT, _guide_params(data, now_iso(), editor))
        except ConstraintViolation as exc:
            raise Conflict(f"a guide with slug {data.get('slug')!r} already exists") from exc
        created = self.get_guide(ident)
        assert created is not None
        return created

    def replace_guide(self, guide_id: int, data: Row, editor: str) -> Row:
        sets = ", ".join(f"{f} = ?" for f in [*_GUIDE_FIELDS, "updated_at", "updated_by"])
        try:
            with self.write() as db:
                cur = db.execute(
                    f"UPDATE guides SET {sets} WHERE id = ?",
                    (*_guide_params(data, now_iso(), editor), guide_id),
                )
                if cur.rowcount == 0:
                    raise NotFound(f"no guide with id {guide_id}")
        except ConstraintViolation as exc:
            raise Conflict(f"a guide with slug {data.get('slug')!r} already exists") from exc
        updated = self.get_guide(guide_id)
        assert updated is not None
        return updated

    def bulk_load_guides(self, rows: Iterable[Row]) -> int:
        params = [_guide_params(r, r.get("updated_at", ""), r.get("updated_by", "")) for r in rows]
        with self.write() as db:
            db.executemany(_GUIDE_INSERT, params)
        return len(params)

    # -- hotlines ----------------------------------------------------------------
    def list_hotlines(self) -> list[Row]:
        return self.all("SELECT * FROM hotlines ORDER BY code")
