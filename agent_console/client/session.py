"""Signing in and out, and whether the backend is there at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_console import models
from agent_console.client.base import ClientBase

if TYPE_CHECKING:
    from agent_console.models.agent import Agent


class SessionCalls(ClientBase):
    async def health(self) -> dict[str, Any]:
        return await self.request("GET", "/health", auth=False)

    async def login(self, agent_id: str, password: str) -> tuple[str, Agent]:
        body = await self.request(
            "POST", "/auth/login", json={"agent_id": agent_id, "password": password}, auth=False
        )
        return str(body["token"]), models.Agent.from_json(body["agent"])

    async def me(self) -> Agent:
        return models.Agent.from_json(await self.request("GET", "/auth/me"))

    async def logout(self) -> None:
        await self.request("POST", "/auth/logout")
