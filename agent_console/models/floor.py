"""From the floor (issue 16): a supervisor's one-line message to an agent's console."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_int, as_str


@dataclass(frozen=True)
class FloorMessage:
    id: int
    text: str
    from_agent_no: str
    from_name: str
    sent_at: str
    read_at: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FloorMessage:
        read_at = d.get("read_at")
        return cls(
            id=as_int(d, "id"),
            text=as_str(d, "text"),
            from_agent_no=as_str(d, "from_agent_no"),
            from_name=as_str(d, "from_name"),
            sent_at=as_str(d, "sent_at"),
            read_at=read_at if isinstance(read_at, str) else None,
        )
