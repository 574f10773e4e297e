"""Callers and the phone directory: search, the card, new callers, unmasking.

In practice mode the callers are the scenarios' own (`practice_callers`), looked up
in the console; their ids never reach the backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase
from agent_console.client.errors import BackendError

if TYPE_CHECKING:
    from agent_console.models.caller import Caller, Unmasked
    from agent_console.models.directory import Listing
    from agent_console.models.search import SearchPage


class CallerCalls(ClientBase):
    async def find_callers(self, q: str, limit: int = 20) -> SearchPage[Caller]:
        """Hits and whether the search stopped at the backend's time budget."""
        if self.practice_callers is not None:
            return self.practice_callers.find(q, limit)
        body = await self.request("GET", "/callers", params={"q": q, "limit": limit})
        return models.SearchPage[models.Caller].from_json(body, models.Caller.from_json)

    async def get_caller(self, caller_id: int) -> Caller:
        if self.practice_callers is not None:
            card = self.practice_callers.card(caller_id)
            if card is None:
                raise BackendError(404, "not_found", f"no practice caller {caller_id}")
            return card
        return models.Caller.from_json(await self.request("GET", f"/callers/{caller_id}"))

    async def create_caller(self, data: dict[str, Any]) -> Caller:
        return models.Caller.from_json(await self.request("POST", "/callers", json=data))

    async def unmask_caller(self, caller_id: int, reason: str = "") -> Unmasked:
        """The full phone and ID number; the backend writes who asked to its audit log."""
        if self.practice_callers is not None:
            unmasked = self.practice_callers.unmask(caller_id)
            if unmasked is None:
                raise BackendError(404, "not_found", f"no practice caller {caller_id}")
            return unmasked
        body = await self.request("POST", f"/callers/{caller_id}/unmask", json={"reason": reason})
        return models.Unmasked.from_json(body)

    async def find_listings(self, q: str, limit: int = 20) -> SearchPage[Listing]:
        """Directory hits and whether the search stopped at the time budget."""
        body = await self.request("GET", "/directory", params={"q": q, "limit": limit})
        return models.SearchPage[models.Listing].from_json(body, models.Listing.from_json)
