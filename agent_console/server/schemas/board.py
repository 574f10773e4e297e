"""The wallboard document (GET /wallboard; the `board` event carries parts of it).
No caller data: agents, counts, hands and stations only."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

BoardState = Literal["ready", "ringing", "on_call", "acw", "not_ready", "signed_out"]


class BoardAgent(BaseModel):
    agent_id: str
    agent_no: str
    name: str
    hotline: str
    team: str
    state: BoardState
    reason: str
    state_since: str | None
    call_started_at: str | None
    calls_today: int
    aht_s: float | None
    acw_s: float | None
    callbacks_overdue: int


class Slot(BaseModel):
    at: str  # the start of the 15 minutes
    offered: int
    answered: int
    abandoned: int


class BoardQueue(BaseModel):
    ringing: int
    longest_wait_s: float | None
    offered_today: int
    answered_today: int
    answered_within_sl: int
    service_level: float | None  # 0..1
    abandoned_today: int
    per_15min: list[Slot]


class BoardHand(BaseModel):
    id: int
    agent_id: str
    agent_no: str
    name: str
    hotline: str
    since: str
    text: str


class OverdueCallbacks(BaseModel):
    station: str  # "" for tickets with no station
    count: int
    oldest_due: str


class Wallboard(BaseModel):
    at: str
    service_level_s: float
    agents: list[BoardAgent]
    queue: BoardQueue
    hands: list[BoardHand]
    overdue_callbacks: list[OverdueCallbacks]
