"""The baseline the lookup benchmark compares with: `LIKE '%q%'` over the columns.

What a first version would do: one statement, every searchable column, a LIMIT.
It finds the same kinds of hits (it even reads the pinyin-initials column), but
no index can serve a leading wildcard, so SQLite reads rows until it has enough
(or reads them all when there are fewer matches than the limit).

`python -m bench.naive --db PATH --port N` serves it with the real API, so the
console can be timed against it exactly as against the real backend.
"""

from __future__ import annotations

import argparse
import sys

from agent_console.server.storage.base import Found, Row
from agent_console.server.storage.sql.callers import public_caller
from agent_console.server.storage.sqlite import SQLiteStorage

CALLER_COLUMNS = ("phone", "account_no", "name", "initials", "compound", "address")
NAIVE_CALLERS = (
    "SELECT c.id, c.name, c.phone, c.account_no, c.address, c.compound, c.language, "
    "c.id_number, c.account_status, c.customer_since, c.notes, c.initials, "
    "CASE WHEN c.compound = '' THEN NULL ELSE coalesce(k.served, 0) END AS served, "
    "k.station AS station FROM callers c LEFT JOIN compounds k ON k.name = c.compound "
    "WHERE " + " OR ".join(f"c.{col} LIKE ?1" for col in CALLER_COLUMNS) + " LIMIT ?2"
)
LISTING_COLUMNS = ("name", "initials", "number", "department", "address")
NAIVE_LISTINGS = (
    "SELECT id, name, name_en, number, address, department, category, updated_at, initials "
    "FROM directory WHERE " + " OR ".join(f"{col} LIKE ?1" for col in LISTING_COLUMNS) + " LIMIT ?2"
)
_KIND = {"phone": "phone", "account_no": "account", "number": "number"}


def _kind(row: Row, columns: tuple[str, ...], q: str) -> str:
    for col in columns:
        if q.lower() in str(row[col]).lower():
            return _KIND.get(col, col)
    return ""


class NaiveStorage(SQLiteStorage):
    def search_callers(self, query: str, limit: int) -> Found:
        q = query.strip()
        if not q:
            return Found([])
        rows = self.all(NAIVE_CALLERS, (f"%{q}%", limit))
        out = []
        for row in rows:
            caller = public_caller(row)
            caller["match"] = _kind(row, CALLER_COLUMNS, q)
            caller.pop("initials", None)
            out.append(caller)
        return Found(out)

    def search_directory(self, query: str, limit: int) -> Found:
        q = query.strip()
        if not q:
            return Found([])
        rows = self.all(NAIVE_LISTINGS, (f"%{q}%", limit))
        out = []
        for row in rows:
            row["match"] = _kind(row, LISTING_COLUMNS, q)
            row.pop("initials", None)
            out.append(row)
        return Found(out)


def main(argv: list[str]) -> int:
    import uvicorn

    from agent_console.server.api import create_app

    parser = argparse.ArgumentParser(prog="bench.naive")
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    app = create_app(NaiveStorage(args.db))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
