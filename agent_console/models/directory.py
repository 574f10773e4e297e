"""Directory listings (114)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_str


@dataclass(frozen=True)
class Listing:
    id: int
    name: str
    number: str
    address: str = ""
    department: str = ""
    category: str = ""
    name_en: str = ""
    match: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Listing:
        return cls(
            id=int(d["id"]),
            name=as_str(d, "name"),
            number=as_str(d, "number"),
            address=as_str(d, "address"),
            department=as_str(d, "department"),
            category=as_str(d, "category"),
            name_en=as_str(d, "name_en"),
            match=as_str(d, "match"),
        )
