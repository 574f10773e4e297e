"""Tickets, follow-ups, categories, field stations and SMS."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, StrictInt

from agent_console.server.fields import BodyId
from agent_console.server.schemas.base import Area, Clean, Patch, Priority, Source, Status, Strict


class TicketIn(Strict):
    caller_id: BodyId | None = None
    category: Clean = Field(min_length=1, max_length=64)
    priority: Priority = "normal"
    source: Source = "hotline"
    summary: Clean = Field(min_length=1, max_length=500)
    notes: Clean = Field(default="", max_length=10000)
    station_id: Clean = Field(default="", max_length=32)
    callback_due: Clean | None = Field(default=None, max_length=40)
    area: Area = "production"


class TicketPatch(Patch):
    NULLABLE = frozenset({"callback_due"})  # null: no callback any more

    status: Status | None = None
    priority: Priority | None = None
    station_id: Clean | None = Field(default=None, max_length=32)
    callback_due: Clean | None = Field(default=None, max_length=40)
    category: Clean | None = Field(default=None, max_length=64)
    satisfaction: StrictInt | None = Field(default=None, ge=1, le=5)
    satisfaction_comment: Clean | None = Field(default=None, max_length=1000)
    note: Clean | None = Field(default=None, max_length=2000)


class Ticket(BaseModel):
    id: int
    area: Area
    caller_id: int | None
    category: str
    priority: str
    source: str
    summary: str
    notes: str
    station_id: str
    status: str
    callback_due: str | None
    satisfaction: int | None
    satisfaction_comment: str
    created_by: str
    created_at: str
    updated_at: str
    history: list[dict[str, Any]] | None = None
    # Names beside the codes (server/ticket_names.py), on the ticket and follow-up views.
    caller_name: str = ""
    caller_phone_masked: str = ""
    category_name: str = ""
    category_name_en: str = ""
    station_name: str = ""
    station_name_en: str = ""
    code_names: dict[str, list[str]] = {}  # {code in the history: [Chinese, English]}


class Category(BaseModel):
    id: str
    parent: str
    name: str
    name_en: str
    hotline: str
    priority_default: str
    initials: str = ""
    children: list[Category] = []


class Station(BaseModel):
    code: str
    name_zh: str
    name_en: str
    hotline: str
    district: str
    phone: str


class SmsIn(Strict):
    caller_id: BodyId | None = None
    to: Clean = Field(default="", max_length=32, pattern=r"^[\d\s\-+()]*$")
    text: Clean = Field(min_length=1, max_length=500)
    kind: Literal["directory", "kb", "account", "script", "other"] = "other"
    ref: Clean = Field(default="", max_length=100)
    area: Area = "production"


class Sms(BaseModel):
    id: int
    area: Area
    caller_id: int | None
    to: str
    body: str
    kind: str
    ref: str
    status: str
    agent_id: str
    created_at: str


class FollowUp(Ticket):
    overdue: bool
