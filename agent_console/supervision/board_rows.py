"""The wallboard document's parts as typed rows: one agent, the queue's figures, a
raised hand, overdue callbacks at a station; read defensively from cleaned JSON (a
wrong or missing field takes its default, never an error). No Textual here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from agent_console.models.fields import as_int, as_str, objects

#: The agent states, in the order the board groups them (who needs an eye first).
STATES: tuple[str, ...] = ("ringing", "on_call", "acw", "not_ready", "ready", "signed_out")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_moment(value: object) -> datetime | None:
    """An ISO timestamp from the backend as an aware UTC moment; anything else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


@dataclass(frozen=True)
class AgentRow:
    """One seat on the board (no caller data: the contract's row has none)."""

    agent_id: str
    agent_no: str
    name: str
    hotline: str = ""
    team: str = ""
    state: str = "signed_out"
    reason: str = ""
    state_since: datetime | None = None
    call_started_at: datetime | None = None
    calls_today: int = 0
    aht_s: float | None = None
    acw_s: float | None = None
    callbacks_overdue: int = 0

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> AgentRow:
        data = dict(d)
        state = as_str(data, "state", "signed_out")
        return cls(
            agent_id=as_str(data, "agent_id"),
            agent_no=as_str(data, "agent_no"),
            name=as_str(data, "name"),
            hotline=as_str(data, "hotline"),
            team=as_str(data, "team"),
            state=state if state in STATES else "signed_out",
            reason=as_str(data, "reason"),
            state_since=parse_moment(data.get("state_since")),
            call_started_at=parse_moment(data.get("call_started_at")),
            calls_today=max(0, as_int(data, "calls_today")),
            aht_s=_number(data, "aht_s"),
            acw_s=_number(data, "acw_s"),
            callbacks_overdue=max(0, as_int(data, "callbacks_overdue")),
        )


@dataclass(frozen=True)
class Slot:
    """One 15-minute slot of today's calls."""

    at: datetime | None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0


@dataclass(frozen=True)
class QueueFigures:
    ringing: int = 0
    longest_wait_s: float | None = None
    offered_today: int = 0
    answered_today: int = 0
    answered_within_sl: int = 0
    service_level: float | None = None  # 0..1, None before the first call
    abandoned_today: int = 0
    per_15min: tuple[Slot, ...] = ()

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> QueueFigures:
        data = dict(d)
        slots = tuple(
            Slot(
                parse_moment(s.get("at")),
                max(0, as_int(s, "offered")),
                max(0, as_int(s, "answered")),
                max(0, as_int(s, "abandoned")),
            )
            for s in objects(data.get("per_15min"))
        )
        return cls(
            ringing=max(0, as_int(data, "ringing")),
            longest_wait_s=_number(data, "longest_wait_s"),
            offered_today=max(0, as_int(data, "offered_today")),
            answered_today=max(0, as_int(data, "answered_today")),
            answered_within_sl=max(0, as_int(data, "answered_within_sl")),
            service_level=_number(data, "service_level"),
            abandoned_today=max(0, as_int(data, "abandoned_today")),
            per_15min=slots,
        )


@dataclass(frozen=True)
class Hand:
    """A raised hand: who, where (station or hotline), since when, what they wrote."""

    id: str
    agent_id: str
    agent_no: str
    name: str
    place: str
    since: datetime | None
    text: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Hand:
        data = dict(d)
        return cls(
            id=as_str(data, "id"),
            agent_id=as_str(data, "agent_id"),
            agent_no=as_str(data, "agent_no"),
            name=as_str(data, "name"),
            place=as_str(data, "station") or as_str(data, "hotline"),
            since=parse_moment(data.get("since")),
            text=as_str(data, "text"),
        )


@dataclass(frozen=True)
class Overdue:
    """Callbacks past their due time at one field station."""

    station: str
    count: int
    oldest_due: datetime | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Overdue:
        data = dict(d)
        return cls(
            as_str(data, "station"),
            max(0, as_int(data, "count")),
            parse_moment(data.get("oldest_due")),
        )
