"""What a schema step is made of: parts for both engines, or for one (see schema.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """Some statements of a step: for both engines (engine "") or for one."""

    sql: str
    engine: str = ""
    #: PostgreSQL collates this part's TEXT columns as code points (see schema.py).
    collate: bool = True


def both(sql: str) -> Part:
    return Part(sql)


def sqlite(sql: str) -> Part:
    return Part(sql, "sqlite")


def postgres(sql: str, collate: bool = True) -> Part:
    return Part(sql, "postgres", collate)
