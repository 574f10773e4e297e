"""Tickets and their closed loop (followups, moves with history), and SMS to callers.

A practice caller's id never leaves the console: a ticket goes without it, an SMS to
the caller's number instead (`_practice_body`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase

if TYPE_CHECKING:
    from agent_console.models.caller import Ticket
    from agent_console.models.tickets import LoopTicket, Sms


class TicketCalls(ClientBase):
    async def create_ticket(self, data: dict[str, Any], idempotency_key: str) -> Ticket:
        body = await self.request(
            "POST",
            "/tickets",
            json=self._practice_body(data),
            headers={"Idempotency-Key": idempotency_key},
        )
        return models.Ticket.from_json(body)

    async def followups(self) -> list[LoopTicket]:
        """My tickets that still owe a callback, the earliest due first."""
        return [models.LoopTicket.from_json(i) for i in await self._items("/tickets/followups")]

    async def loop_ticket(self, ticket_id: int) -> LoopTicket:
        """One ticket with its history (who changed what, when)."""
        return models.LoopTicket.from_json(await self.request("GET", f"/tickets/{ticket_id}"))

    async def move_ticket(self, ticket_id: int, changes: dict[str, Any]) -> LoopTicket:
        """PATCH a ticket (status, note, satisfaction ...); BackendError 409 on an
        illegal move, 422 with fields for a missing value."""
        return models.LoopTicket.from_json(
            await self.request("PATCH", f"/tickets/{ticket_id}", json=changes)
        )

    async def send_sms(
        self,
        text: str,
        *,
        caller_id: int | None = None,
        to: str = "",
        kind: str = "other",
        ref: str = "",
        practice: bool = False,
    ) -> Sms:
        body: dict[str, Any] = {
            "caller_id": caller_id,
            "to": to,
            "text": text,
            "kind": kind,
            "ref": ref,
            "area": "practice" if practice else "production",
        }
        body = self._practice_body(body, "to")
        return models.Sms.from_json(await self.request("POST", "/sms", json=body))

    def _practice_body(self, body: dict[str, Any], number_field: str = "") -> dict[str, Any]:
        """`body` without a practice caller's id (and, given `number_field`, with the
        caller's number there if it is empty)."""
        from agent_console.practice.callers import is_practice_id

        caller_id = body.get("caller_id")
        if self.practice_callers is None or caller_id is None or not is_practice_id(caller_id):
            return body
        out = {**body, "caller_id": None}
        if number_field and not out.get(number_field):
            out[number_field] = self.practice_callers.phone(int(caller_id))
        return out
