"""Keys typed while the sign-in form is being put up: kept, then typed into it in order.

A 114 operator types the agent number the moment the console appears. Textual puts a
pushed screen on top at once but builds and focuses its fields on the screen's own
turn: a key read in between went to the bare screen (nobody wants it: lost), so
"1001 Enter demo Enter" arrived as "001" or not at all. The App hands every key to
keep() first: while the sign-in (or lock) form is not up yet, keys are kept; once it
is (LoginScreen.on_mount) they go on, through the App's own key handling, before any
key read after them. A form that is up with nothing focused (a terminal that was not
focused as it drew it) takes its first field at the first key.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App

from agent_console.screens.login import LoginScreen


class KeyHold:
    """The keys the sign-in form could not take yet, in the order they were read."""

    def __init__(self, app: App[None], deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app = app
        self._deliver = deliver  # the App's key handling, past this hold
        self._held: deque[events.Key] = deque()

    def keep(self, event: events.Key) -> bool:
        """Whether the key is kept for later. Once one is kept, every key is, until
        release(): a key read after the form came up must not pass one kept before."""
        if not self._held:
            screen = self._app.screen
            if screen.focused is not None or not isinstance(screen, LoginScreen):
                return False  # the one test every key pays
            if screen.take_keys():
                return False
        self._held.append(event)
        return True

    def ready(self) -> None:
        """The form is up: release the kept keys on the App's own turn, behind the keys
        it has read already (those are kept too, in order)."""
        if self._held:
            self._app.call_later(self.release)

    async def release(self) -> None:
        screen = self._app.screen
        if isinstance(screen, LoginScreen) and not screen.take_keys():
            return  # another form, not up yet: its on_mount calls ready() again
        while self._held:
            await self._deliver(self._held.popleft())
