"""A caller with their recent tickets (the caller card), and their unmasked numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_int, as_str


@dataclass(frozen=True)
class Ticket:
    id: int
    caller_id: int | None
    category: str
    priority: str
    source: str
    summary: str
    notes: str
    station_id: str
    status: str
    created_at: str
    updated_at: str = ""
    area: str = "production"
    callback_due: str | None = None
    satisfaction: int | None = None
    created_by: str = ""
    category_names: tuple[str, str] = ("", "")  # Chinese, English (from the backend)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Ticket:
        return cls(
            id=int(d["id"]),
            caller_id=d.get("caller_id"),
            category=as_str(d, "category"),
            priority=as_str(d, "priority", "normal"),
            source=as_str(d, "source", "hotline"),
            summary=as_str(d, "summary"),
            notes=as_str(d, "notes"),
            station_id=as_str(d, "station_id"),
            status=as_str(d, "status", "new"),
            created_at=as_str(d, "created_at"),
            updated_at=as_str(d, "updated_at"),
            area=as_str(d, "area", "production"),
            callback_due=d.get("callback_due"),
            satisfaction=d.get("satisfaction"),
            created_by=as_str(d, "created_by"),
            category_names=(as_str(d, "category_name"), as_str(d, "category_name_en")),
        )

    def category_label(self, language: str) -> str:
        """The category's name in `language` (zh or en), else the other, else the code
        (a backend that sends no names)."""
        zh, en = self.category_names
        return ((en or zh) if language == "en" else (zh or en)) or self.category


@dataclass(frozen=True)
class Caller:
    id: int
    name: str
    phone: str  # masked by the server unless explicitly unmasked
    account_no: str = ""
    address: str = ""
    compound: str = ""
    language: str = "zh"
    id_number: str = ""
    account_status: str = "active"
    customer_since: str = ""
    notes: str = ""
    served: bool | None = None
    station: str = ""
    match: str = ""
    recent_tickets: tuple[Ticket, ...] = ()
    open_followups: tuple[Ticket, ...] = ()
    tickets_30d: int = 0  # tickets in the last 30 days (repeat callers get extra care)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Caller:
        return cls(
            id=int(d["id"]),
            name=as_str(d, "name"),
            phone=as_str(d, "phone"),
            account_no=as_str(d, "account_no"),
            address=as_str(d, "address"),
            compound=as_str(d, "compound"),
            language=as_str(d, "language", "zh"),
            id_number=as_str(d, "id_number"),
            account_status=as_str(d, "account_status", "active"),
            customer_since=as_str(d, "customer_since"),
            notes=as_str(d, "notes"),
            served=d.get("served"),
            station=as_str(d, "station"),
            match=as_str(d, "match"),
            recent_tickets=tuple(Ticket.from_json(t) for t in d.get("recent_tickets") or ()),
            open_followups=tuple(Ticket.from_json(t) for t in d.get("open_followups") or ()),
            tickets_30d=as_int(d, "tickets_30d"),
        )


@dataclass(frozen=True)
class Unmasked:
    """A caller's phone and ID number in full, as returned (and audited) on request."""

    id: int
    phone: str
    id_number: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Unmasked:
        return cls(id=int(d["id"]), phone=as_str(d, "phone"), id_number=as_str(d, "id_number"))
