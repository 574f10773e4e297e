"""What the ticket form and the follow-up loop need besides the ticket itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent_console.models.caller import Ticket
from agent_console.models.fields import as_str


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    name_en: str = ""
    priority_default: str = "normal"
    children: tuple[Category, ...] = field(default=())
    initials: str = ""  # pinyin initials of the name, from the backend

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Category:
        return cls(
            id=as_str(d, "id"),
            name=as_str(d, "name"),
            name_en=as_str(d, "name_en"),
            priority_default=as_str(d, "priority_default", "normal"),
            children=tuple(cls.from_json(c) for c in d.get("children") or ()),
            initials=as_str(d, "initials"),
        )

    def walk(self, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Category]]:
        """Every node under this one with the names leading to it, depth first."""
        here = (*path, self.name)
        out = [(here, self)]
        for child in self.children:
            out += child.walk(here)
        return out


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    district: str = ""
    phone: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Station:
        return cls(
            code=as_str(d, "code"),
            name=as_str(d, "name_zh") or as_str(d, "name"),
            district=as_str(d, "district"),
            phone=as_str(d, "phone"),
        )


@dataclass(frozen=True)
class Sms:
    id: int
    to: str
    body: str
    kind: str
    status: str
    created_at: str
    caller_id: int | None = None
    ref: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Sms:
        return cls(
            id=int(d["id"]),
            to=as_str(d, "to"),
            body=as_str(d, "body"),
            kind=as_str(d, "kind"),
            status=as_str(d, "status"),
            created_at=as_str(d, "created_at"),
            caller_id=d.get("caller_id"),
            ref=as_str(d, "ref"),
        )


@dataclass(frozen=True)
class TicketEvent:
    at: str
    agent_id: str
    change: dict[str, Any]

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TicketEvent:
        change = d.get("change")
        return cls(
            as_str(d, "at"), as_str(d, "agent_id"), change if isinstance(change, dict) else {}
        )


@dataclass(frozen=True)
class LoopTicket:
    """A ticket with what the follow-up work needs: overdue, comment, its history."""

    ticket: Ticket
    overdue: bool = False
    satisfaction_comment: str = ""
    history: tuple[TicketEvent, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LoopTicket:
        return cls(
            ticket=Ticket.from_json(d),
            overdue=bool(d.get("overdue")),
            satisfaction_comment=as_str(d, "satisfaction_comment"),
            history=tuple(TicketEvent.from_json(e) for e in d.get("history") or () if e),
        )
