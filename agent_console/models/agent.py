"""Who is signed in, and the seats a supervisor sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_str


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    role: str
    agent_no: str
    hotline: str = ""
    language: str = "zh"
    station: str = ""  # field-station staff: their station

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Agent:
        return cls(
            id=as_str(d, "id"),
            name=as_str(d, "name"),
            role=as_str(d, "role", "agent"),
            agent_no=as_str(d, "agent_no"),
            hotline=as_str(d, "hotline"),
            language=as_str(d, "language", "zh"),
            station=as_str(d, "station"),
        )

    @property
    def is_trainee(self) -> bool:
        return self.role == "trainee"


@dataclass(frozen=True)
class AgentStatus:
    """One seat as a supervisor sees it."""

    agent_id: str
    name: str
    state: str
    reason: str = ""
    since: str | None = None
    call_id: int | None = None
    agent_no: str = ""
    role: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AgentStatus:
        call_id = d.get("call_id")
        return cls(
            agent_id=as_str(d, "agent_id"),
            name=as_str(d, "name"),
            state=as_str(d, "state", "offline"),
            reason=as_str(d, "reason"),
            since=d.get("since"),
            call_id=call_id if isinstance(call_id, int) else None,
            agent_no=as_str(d, "agent_no"),
            role=as_str(d, "role"),
        )
