"""The one typed way for a screen or widget to reach the console it runs in: `self.console`
is `self.app` seen as an AgentConsole (its client, session, settings, outbox, seat), so
pyright checks every use instead of each line silencing it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

from agent_console.keymap import key_display

if TYPE_CHECKING:
    from agent_console.app import AgentConsole


def console_of(node: MessagePump) -> AgentConsole:
    """The AgentConsole `node` is mounted in (screens only ever run inside one)."""
    return cast("AgentConsole", node.app)


class ConsoleAccess:
    """Mixin for Screens and Widgets: `self.console` instead of an untyped `self.app`."""

    @property
    def console(self) -> AgentConsole:
        assert isinstance(self, MessagePump)
        return console_of(self)

    def key_of(self, action_id: str) -> str:
        """An action's key in this console's keymap, as printed on the keyboard ("F2",
        "Ctrl+N"): what a hint or a message names, whatever the agent's keymap."""
        return key_display(self.console.settings.keys.get(action_id, ""))
