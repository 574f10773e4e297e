"""Directory listings for the 114 desk."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.search_plan import plan_directory
from agent_console.server.storage.base import Found, Row
from agent_console.server.storage.sql.core import SearchTarget, SqlCore
from agent_console.server.textkeys import digits_only, name_key, pinyin_initials

_SELECT = (
    "SELECT d.id, d.name, d.name_en, d.number, d.address, d.department, d.category, "
    "d.updated_at FROM directory d WHERE d.id IN "
)
DIRECTORY = SearchTarget(
    table="directory",
    columns={"number": "number_digits", "name": "name_key", "initials": "initials"},
    fts={
        "name": ("directory_fts", True),
        "department": ("directory_fts", True),
        "address": ("directory_fts", True),
    },
    pairs={
        "name": "directory_name_pairs",
        "department": "directory_department_pairs",
        "address": "directory_address_pairs",
    },
    triples={
        "name": "directory_name_triples",
        "department": "directory_department_triples",
        "address": "directory_address_triples",
    },
    fives={
        "name": "directory_name_fives",
        "department": "directory_department_fives",
        "address": "directory_address_fives",
    },
    sevens={"name": "directory_name_sevens", "address": "directory_address_sevens"},
)

DIRECTORY_INSERT = (
    "INSERT INTO directory(name, name_en, name_key, initials, number, number_digits, "
    "number_rev, address, department, category, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


def directory_index_row(data: Row) -> tuple[object, ...]:
    digits = digits_only(data["number"])
    return (
        data["name"],
        data.get("name_en", ""),
        name_key(data["name"]),
        pinyin_initials(data["name"]),
        data["number"],
        digits,
        digits[::-1],
        data.get("address", ""),
        data.get("department", ""),
        data.get("category", ""),
        data.get("updated_at") or now_iso(),
    )


class DirectoryMixin(SqlCore):
    def search_directory(self, query: str, limit: int) -> Found:
        result = self.run_probes(DIRECTORY, plan_directory(query), limit, rows=_SELECT)
        rows = result.rows
        if rows is None:  # not read with the probes (SQLite, or a search cut short)
            rows = self.fetch_in_order(_SELECT, [i for i, _ in result.hits])
        return Found([{**rows[i], "match": kind} for i, kind in result.hits], result.partial)

    def get_listing(self, listing_id: int) -> Row | None:
        return self.fetch_in_order(_SELECT, [listing_id]).get(listing_id)
