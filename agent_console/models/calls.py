"""Calls the console lists or places itself: the caller log's missed calls and the
outbound call a callback records (issue 13; /work/notes/CALL_CONTRACT.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_str


def _opt_int(d: dict[str, Any], key: str) -> int | None:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class MissedCall:
    """A call to the agent's hotline that ended before anyone answered."""

    call_id: int
    number_masked: str
    caller_id: int | None = None
    caller_name: str = ""
    at: str = ""  # when it rang (UTC ISO)
    queue: str = ""
    called_back: bool = False
    rang_agents: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> MissedCall:
        return cls(
            call_id=_opt_int(d, "call_id") or 0,
            number_masked=as_str(d, "number_masked"),
            caller_id=_opt_int(d, "caller_id"),
            caller_name=as_str(d, "caller_name"),
            at=as_str(d, "at"),
            queue=as_str(d, "queue"),
            called_back=d.get("called_back") is True,
            rang_agents=tuple(str(a) for a in d.get("rang_agents") or () if a is not None),
        )


@dataclass(frozen=True)
class OutboundCall:
    """The record of a call the agent places: its id, and the full number to dial."""

    id: int
    number: str = ""
    caller_id: int | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> OutboundCall:
        return cls(
            id=_opt_int(d, "id") or 0,
            number=as_str(d, "number"),
            caller_id=_opt_int(d, "caller_id"),
        )
