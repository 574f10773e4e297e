"""Callers (search, the card, new callers, unmasking) and directory listings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent_console.server.schemas.base import Clean, Strict
from agent_console.server.schemas.tickets import Ticket


class CallerIn(Strict):
    name: Clean = Field(min_length=1, max_length=100)
    phone: Clean = Field(min_length=3, max_length=32, pattern=r"^[\d\s\-+()]+$")
    account_no: Clean = Field(default="", max_length=32)
    address: Clean = Field(default="", max_length=300)
    compound: Clean = Field(default="", max_length=100)
    language: Clean = Field(default="zh", max_length=8)
    id_number: Clean = Field(default="", max_length=32)
    notes: Clean = Field(default="", max_length=2000)


class Caller(BaseModel):
    id: int
    name: str
    phone: str
    account_no: str
    address: str
    compound: str
    language: str
    id_number: str
    account_status: str
    customer_since: str
    notes: str
    served: bool | None
    station: str
    match: str | None = None


class CallerCard(Caller):
    recent_tickets: list[Ticket]
    open_followups: list[Ticket] = []
    tickets_30d: int = 0  # tickets in the last 30 days: a repeat caller needs extra care


class Listing(BaseModel):
    id: int
    name: str
    name_en: str
    number: str
    address: str
    department: str
    category: str
    updated_at: str
    match: str | None = None


class UnmaskIn(Strict):
    reason: Clean = Field(default="", max_length=200)


class Unmasked(BaseModel):
    id: int
    phone: str
    id_number: str
