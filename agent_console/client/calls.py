"""The call and the seat's state: answer, hang up, call back, available/away
(docs: /work/notes/CALL_CONTRACT.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from agent_console import models
from agent_console.client.base import ClientBase
from agent_console.client.errors import BackendError

if TYPE_CHECKING:
    from agent_console.models.agent import AgentStatus
    from agent_console.models.calls import MissedCall, OutboundCall


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

    async def current_call(self) -> dict[str, Any] | None:
        """The call the backend has me on (answered, not ended), as `incoming_call`
        tells a call, with `answered_at`; None when there is none."""
        body = await self.request("GET", "/calls/current")
        fields = cast("dict[str, object]", body) if isinstance(body, dict) else {}
        call = fields.get("call")
        return cast("dict[str, Any]", call) if isinstance(call, dict) else None

    async def hang_up_call(self, call_id: int) -> None:
        """End my own call from the console (a phone system says so itself)."""
        await self.request("POST", f"/calls/{call_id}/hangup")

    async def outbound_call(
        self,
        caller_id: int | None,
        reason: str = "callback",
        ticket_id: int | None = None,
        *,
        missed_call_id: int | None = None,
    ) -> OutboundCall:
        """Record a call I place (a callback attempt) to a caller, or to the number of a
        missed call (`missed_call_id`, a caller nobody knows yet): its id and number."""
        body: dict[str, Any] = {"reason": reason}
        if caller_id is not None:
            body["caller_id"] = caller_id
        if missed_call_id is not None:
            body["call_id"] = missed_call_id
        if ticket_id is not None:
            body["ticket_id"] = ticket_id
        row = await self.request("POST", "/calls/outbound", json=body)
        call = (
            models.OutboundCall.from_json(cast("dict[str, Any]", row))
            if isinstance(row, dict)
            else None
        )
        if call is None or call.id <= 0:
            raise BackendError(200, "bad_answer", "the backend's answer names no call")
        return call

    async def call_result(self, call_id: int, reached: bool) -> None:
        """Say whether my outbound call reached the caller (one that did not is over)."""
        await self.request("POST", f"/calls/{call_id}/result", json={"reached": reached})

    async def missed_calls(self, limit: int = 50) -> list[MissedCall]:
        """The caller log: my hotline's calls nobody answered, newest first."""
        items = await self._items("/calls/missed", {"limit": limit})
        return [models.MissedCall.from_json(i) for i in items]
