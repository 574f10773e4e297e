"""Telling the backend the agent's state, in order, through a backend that comes and goes.

A change is sent at once; while the backend is away it is kept, and the kept changes
(wrap-up codes too) go out in order when it is back. A change the backend refuses
(e.g. the call is gone) is dropped and the rest still go. No Textual here: the
sending coroutine and what to tell the agent are injected.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from agent_console.client import BackendError, BackendUnavailable
from agent_console.seat.state import Change


class StateReporter:
    def __init__(
        self,
        send: Callable[[Change], Awaitable[object]],
        *,
        kept: Callable[[], None] = lambda: None,
        refused: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._send = send
        self.kept = kept  # the backend is away: the change waits
        self.refused = refused  # the backend said no (its message)
        self.unsent: list[Change] = []  # oldest first

    async def send(self, change: Change) -> None:
        if self.unsent:  # keep the order: an earlier change is still waiting
            self.unsent.append(change)
            return
        try:
            await self._send(change)
        except BackendUnavailable:
            self.unsent.append(change)
            self.kept()
        except BackendError as exc:
            self.refused(exc.message)

    async def resend(self) -> None:
        """The backend is back: send what it missed, oldest first."""
        while self.unsent:
            try:
                await self._send(self.unsent[0])
            except BackendUnavailable:
                return  # still away: the next time it is back
            except BackendError:
                pass  # refused (e.g. that call is gone): drop it, send the rest
            self.unsent.pop(0)
