"""Callers: search by every kind an agent types, the card, and creation."""

from __future__ import annotations

from agent_console.server.clock import now_iso
from agent_console.server.search_plan import plan_callers
from agent_console.server.storage.base import Found, Row
from agent_console.server.storage.sql.core import SearchTarget, SqlCore
from agent_console.server.textkeys import digits_only, name_key, pinyin_initials
from agent_console.text import mask_id, mask_phone

CALLER_SELECT = (
    "SELECT c.id, c.name, c.phone, c.account_no, c.address, c.compound, c.language, "
    "c.id_number, c.account_status, c.customer_since, c.notes, "
    "CASE WHEN c.compound = '' THEN NULL ELSE coalesce(k.served, 0) END AS served, "
    "k.station AS station "
    "FROM callers c LEFT JOIN compounds k ON k.name = c.compound WHERE c.id IN "
)
CALLERS = SearchTarget(
    table="callers",
    columns={
        "phone": "phone_digits",
        "account": "account_no",
        "name": "name_key",
        "initials": "initials",
    },
    fts={
        "name": ("callers_name_fts", False),
        "compound": ("callers_compound_fts", False),
        "address": ("callers_address_fts", False),
    },
    pairs={
        "name": "callers_name_pairs",
        "compound": "callers_compound_pairs",
        "address": "callers_address_pairs",
    },
    triples={
        "name": "callers_name_triples",
        "compound": "callers_compound_triples",
        "address": "callers_address_triples",
    },
    fives={"address": "callers_address_fives"},
    sevens={"address": "callers_address_sevens"},
)


def public_caller(row: Row) -> Row:
    """The caller as the API shows it: phone and ID masked, served as a boolean."""
    out = dict(row)
    out["phone"] = mask_phone(row["phone"])
    out["id_number"] = mask_id(row["id_number"]) if row["id_number"] else ""
    out["served"] = None if row["served"] is None else bool(row["served"])
    out["station"] = row.get("station") or ""
    return out


def caller_index_row(data: Row) -> tuple[object, ...]:
    digits = digits_only(data["phone"])
    return (
        data["name"],
        name_key(data["name"]),
        pinyin_initials(data["name"], person=True),
        data["phone"],
        digits,
        digits[::-1],
        data.get("account_no", ""),
        data.get("address", ""),
        data.get("compound", ""),
        data.get("language", "zh"),
        data.get("id_number", ""),
        data.get("account_status", "active"),
        data.get("customer_since", ""),
        data.get("notes", ""),
        data.get("created_at") or now_iso(),
    )


CALLER_INSERT = (
    "INSERT INTO callers(name, name_key, initials, phone, phone_digits, phone_rev, account_no, "
    "address, compound, language, id_number, account_status, customer_since, notes, created_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def callers_found(hits: list[tuple[int, str]], rows: dict[int, Row], partial: bool) -> Found:
    """A search's answer: each hit's caller as the API shows it, with how it matched."""
    out: list[Row] = []
    for ident, kind in hits:
        caller = public_caller(rows[ident])
        caller["match"] = kind
        out.append(caller)
    return Found(out, partial)


class CallersMixin(SqlCore):
    def search_callers(self, query: str, limit: int) -> Found:
        result = self.run_probes(CALLERS, plan_callers(query), limit, rows=CALLER_SELECT)
        rows = result.rows
        if rows is None:  # not read with the probes (SQLite, or a search cut short)
            rows = self.fetch_in_order(CALLER_SELECT, [i for i, _ in result.hits])
        return callers_found(result.hits, rows, result.partial)

    async def search_callers_on_loop(self, query: str, limit: int) -> Found | None:
        """search_callers without leaving the event loop, where the engine can (None:
        run search_callers where server/reads.py runs reads)."""
        return None

    def _caller_row(self, caller_id: int) -> Row | None:
        return self.fetch_in_order(CALLER_SELECT, [caller_id]).get(caller_id)

    def get_caller(self, caller_id: int) -> Row | None:
        row = self._caller_row(caller_id)
        return public_caller(row) if row else None

    def caller_phone(self, caller_id: int) -> str | None:
        row = self._caller_row(caller_id)
        return row["phone"] if row else None

    def create_caller(self, data: Row) -> Row:
        with self.write() as db:
            ident = self.insert(db, CALLER_INSERT, caller_index_row(data))
            self.index_texts(db, "callers", [(ident, data)])
        row = self.get_caller(ident)
        assert row is not None
        return row
