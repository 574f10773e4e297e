"""A screen whose keys depend on who is signed in (agent_console/role_keys.py): the
reviews list and a review show the same screen to a supervisor (who scores and assigns)
and to an agent (who reads), with the supervisor's keys refused and hidden for others."""

from __future__ import annotations

from typing import ClassVar

from agent_console.role_keys import action_allowed
from agent_console.screens.base import ConsoleScreen


class RoleScopedScreen(ConsoleScreen):
    #: The action catalogue's scope of this screen's keys ("reviews", "review").
    KEY_SCOPE: ClassVar[str] = ""

    @property
    def role(self) -> str | None:
        agent = self.console.session.agent
        return agent.role if agent else None

    @property
    def supervising(self) -> bool:
        return self.role == "supervisor"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action_allowed(self.KEY_SCOPE, action, parameters, self.role)
