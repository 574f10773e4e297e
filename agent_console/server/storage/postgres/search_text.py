"""What PostgreSQL keeps for searching a caller or a listing: each text column as its
token string, and its CJK grams in a side table (phrase_match explains both), written
for a new row and in bulk by migrate-db (postgres/copy.py)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from agent_console.server.phrase_match import indexed
from agent_console.server.storage.base import Row
from agent_console.server.storage.postgres.core import Connection

#: entity table -> its searchable text columns (token strings and grams)
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "callers": ("name", "compound", "address"),
    "directory": ("name", "address", "department"),
}


def text_rows(table: str, ident: int, texts: dict[str, str]) -> tuple[str, str]:
    """The token-string row and the gram rows of one entity (texts by column), as
    COPY text: tokens are letters and digits, grams CJK characters, so nothing in them
    needs escaping (a migration writes some 40 million gram rows)."""
    line = [str(ident)]
    grams: list[str] = []
    for c in TEXT_COLUMNS[table]:
        string, col_grams = _indexed(texts.get(c, ""))
        line.append(string)
        if col_grams:
            end = f"\t{ident}\n"
            grams.append(f"{c}\t" + f"{end}{c}\t".join(col_grams) + end)
    return "\t".join(line) + "\n", "".join(grams)


#: Names and compounds repeat across a million callers; addresses do not (a miss is cheap).
_indexed = lru_cache(maxsize=1 << 16)(indexed)


def copy_text(db: Connection, table: str, indexed: Sequence[tuple[str, str]]) -> None:
    """COPY a batch's token-string rows and gram rows (inside a write transaction)."""
    cols = ("id", *TEXT_COLUMNS[table])
    db.copy_text(f"{table}_text", cols, ["".join(t for t, _ in indexed)])
    db.copy_text(f"{table}_grams", ("col", "gram", "id"), ["".join(g for _, g in indexed)])


def caller_texts(data: Row) -> dict[str, str]:
    return {
        "name": data["name"],
        "compound": data.get("compound", ""),
        "address": data.get("address", ""),
    }


def directory_texts(data: Row) -> dict[str, str]:
    name = data["name"] + (" " + data["name_en"] if data.get("name_en") else "")
    return {
        "name": name,
        "address": data.get("address", ""),
        "department": data.get("department", ""),
    }
