"""What the ticket form and the follow-up loop need besides the ticket itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from agent_console.models.caller import Ticket
from agent_console.models.fields import as_object, as_str


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
        out: list[tuple[tuple[str, ...], Category]] = [(here, self)]
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
        return cls(as_str(d, "at"), as_str(d, "agent_id"), as_object(d.get("change")) or {})


@dataclass(frozen=True)
class LoopTicket:
    """A ticket with what the follow-up work needs: overdue, comment, its history."""

    ticket: Ticket
    overdue: bool = False
    satisfaction_comment: str = ""
    history: tuple[TicketEvent, ...] = ()
    # Names beside the codes, from the server: who to call back and what it is about.
    caller_name: str = ""
    caller_phone: str = ""  # masked
    category_names: tuple[str, str] = ("", "")  # Chinese, English
    station_names: tuple[str, str] = ("", "")
    # history's codes
    code_names: dict[str, tuple[str, str]] = field(default_factory=dict[str, tuple[str, str]])

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LoopTicket:
        return cls(
            ticket=Ticket.from_json(d),
            overdue=bool(d.get("overdue")),
            satisfaction_comment=as_str(d, "satisfaction_comment"),
            history=tuple(TicketEvent.from_json(e) for e in d.get("history") or () if e),
            caller_name=as_str(d, "caller_name"),
            caller_phone=as_str(d, "caller_phone_masked"),
            category_names=(as_str(d, "category_name"), as_str(d, "category_name_en")),
            station_names=(as_str(d, "station_name"), as_str(d, "station_name_en")),
            code_names=_code_names(d.get("code_names")),
        )

    def category_name(self, language: str) -> str:
        """The category's name in `language` (zh or en), else the other, else the code."""
        return _pick(self.category_names, language) or self.ticket.category

    def station_name(self, language: str) -> str:
        return _pick(self.station_names, language) or self.ticket.station_id

    def names(self, language: str) -> dict[str, str]:
        """Every code the ticket and its history use, by name in `language`."""
        shown = {code: _pick(pair, language) for code, pair in self.code_names.items()}
        shown[self.ticket.category] = self.category_name(language)
        shown[self.ticket.station_id] = self.station_name(language)
        return {code: name for code, name in shown.items() if code and name}

    def caller_line(self) -> str:
        """Name and masked number: who to call back ('' when the ticket has no caller)."""
        return " ".join(part for part in (self.caller_name, self.caller_phone) if part)


def _code_names(raw: object) -> dict[str, tuple[str, str]]:
    names = as_object(raw) or {}
    pairs = {str(c): cast("list[object]", p) for c, p in names.items() if isinstance(p, list)}
    return {code: (str(p[0]), str(p[1])) for code, p in pairs.items() if len(p) == 2}


def _pick(names: tuple[str, str], language: str) -> str:
    zh, en = names
    return (en or zh) if language == "en" else (zh or en)
