"""What a supervisor's wallboard (and the wall screen) reads: the board's whole document
(docs: /work/notes/SUPERVISOR_CONTRACT.md); its changes come on the event stream."""

from __future__ import annotations

from typing import Any, cast

from agent_console.client.base import ClientBase
from agent_console.client.errors import BackendError


class SupervisionCalls(ClientBase):
    async def wallboard(self, hotline: str = "", team: str = "", state: str = "") -> dict[str, Any]:
        """GET /wallboard: every agent's row, the queue, hands and overdue callbacks,
        cleaned like every answer (control characters stripped)."""
        params = {k: v for k, v in (("hotline", hotline), ("team", team), ("state", state)) if v}
        body = await self.request("GET", "/wallboard", params=params or None)
        if not isinstance(body, dict):
            raise BackendError(200, "bad_answer", "the backend's wallboard is not an object")
        return cast("dict[str, Any]", body)
