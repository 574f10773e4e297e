"""The call and the seat's state: answer, hang up, call back, available/away
(docs: /work/notes/CALL_CONTRACT.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from agent_console import models
from agent_console.client.base import ClientBase
from agent_console.client.errors import BackendError

if TYPE_CHECKING:
    from agent_console.models.agent import AgentStatus


class CallCalls(ClientBase):
    async def set_state(
        self, state: str, reason: str = "", *, call_id: int | None = None, wrap_up: str = ""
    ) -> AgentStatus:
        body = {"state": state, "reason": reason, "call_id": call_id, "wrap_up": wrap_up}
        return models.AgentStatus.from_json(
            await self.request("PUT", "/agents/me/state", json=body)
        )

    async def answer_call(self, call_id: int) -> None:
        """Take a ringing call from the console (no handset); 409: a colleague has it."""
        await self.request("POST", f"/calls/{call_id}/answer")

    async def hang_up_call(self, call_id: int) -> None:
        """End my own call from the console (a phone system says so itself)."""
        await self.request("POST", f"/calls/{call_id}/hangup")

    async def outbound_call(
        self, caller_id: int, reason: str = "callback", ticket_id: int | None = None
    ) -> int:
        """Record a call I place (a callback attempt): the new call's id."""
        body: dict[str, Any] = {"caller_id": caller_id, "reason": reason}
        if ticket_id is not None:
            body["ticket_id"] = ticket_id
        row = await self.request("POST", "/calls/outbound", json=body)
        call_id = cast("dict[str, Any]", row).get("id") if isinstance(row, dict) else None
        if not isinstance(call_id, int) or isinstance(call_id, bool):
            raise BackendError(200, "bad_answer", "the backend's answer names no call")
        return call_id
