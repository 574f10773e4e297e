"""From the floor (issue 16): a supervisor's hand on other seats (state, sign-out, a
message, a ticket handed on), and the floor messages every agent reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase

if TYPE_CHECKING:
    from agent_console.models.agent import AgentStatus
    from agent_console.models.floor import FloorMessage


class FloorCalls(ClientBase):
    # -- every agent: my messages from the floor --------------------------------------
    async def unread_messages(self) -> list[FloorMessage]:
        """My floor messages not read yet, the oldest first."""
        return [models.FloorMessage.from_json(i) for i in await self._items("/messages/unread")]

    async def read_message(self, message_id: int) -> FloorMessage:
        """Mark one of my floor messages read."""
        row = await self.request("POST", f"/messages/{message_id}/read")
        return models.FloorMessage.from_json(row)

    # -- supervisors --------------------------------------------------------------------
    async def seat_states(self) -> list[AgentStatus]:
        """Every seat and its state (supervisors, mentors)."""
        return [models.AgentStatus.from_json(i) for i in await self._items("/agents/states")]

    async def set_seat_state(self, agent_id: str, state: str, reason: str = "") -> AgentStatus:
        """Set an agent ready or not ready (a reason); 409 agent_busy during a call."""
        body = {"state": state, "reason": reason}
        row = await self.request("PUT", f"/agents/{_seg(agent_id)}/state", json=body)
        return models.AgentStatus.from_json(row)

    async def sign_out_seat(self, agent_id: str, reason: str = "") -> None:
        """End an agent's sessions; 409 agent_busy during a call."""
        await self.request("POST", f"/agents/{_seg(agent_id)}/sign-out", json={"reason": reason})

    async def send_floor_message(self, agent_id: str, text: str) -> FloorMessage:
        """One line (up to 200 characters) to an agent's console."""
        row = await self.request("POST", f"/agents/{_seg(agent_id)}/messages", json={"text": text})
        return models.FloorMessage.from_json(row)

    async def reassign_ticket(
        self, ticket_id: int, *, agent_id: str = "", station: str = "", reason: str = ""
    ) -> None:
        """Hand a ticket to another agent, or dispatch it to another field station."""
        body: dict[str, Any] = {"reason": reason}
        if agent_id:
            body["agent_id"] = agent_id
        if station:
            body["station"] = station
        await self.request("POST", f"/tickets/{ticket_id}/reassign", json=body)


def _seg(value: str) -> str:
    """An agent id as one path segment (quoted: an id is data, never a path)."""
    from urllib.parse import quote

    return quote(value, safe="")
