"""Telling the backend the agent's state and calls, in order, through a backend that
comes and goes.

A report (a state change, F10's hang-up, a callback's result) is sent at once; while
the backend is away it is kept, and the kept reports (wrap-up codes too) go out in
order when it is back: a hang-up is not lost because the backend was away at F10, and
goes before the "ready" that followed it. A report the backend refuses (e.g. the call
is gone) is dropped and the rest still go. No Textual here: the sending coroutine and
what to tell the agent are injected.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from agent_console.client import BackendError, BackendUnavailable
from agent_console.seat.state import Report


class StateReporter:
    def __init__(
        self,
        send: Callable[[Report], Awaitable[object]],
        *,
        kept: Callable[[Report], None] = lambda report: None,
        refused: Callable[[Report, str], None] = lambda report, message: None,
    ) -> None:
        self._send = send
        self.kept = kept  # the backend is away: this report (and those after it) waits
        self.refused = refused  # the backend said no (its message)
        self.unsent: list[Report] = []  # oldest first
        # One request at a time, in the order the reports were made (the lock wakes its
        # waiters first come, first served): sent side by side, the wrap-up code could
        # reach the backend before the hang-up it follows, and end the call without its
        # cause.
        self._one_at_a_time = asyncio.Lock()

    async def send(self, report: Report) -> None:
        async with self._one_at_a_time:
            if self.unsent:  # keep the order: an earlier report is still waiting
                self.unsent.append(report)
                return
            try:
                await self._send(report)
            except BackendUnavailable:
                self.unsent.append(report)
                self.kept(report)
            except BackendError as exc:
                self.refused(report, exc.message)

    async def resend(self) -> None:
        """The backend is back: send what it missed, oldest first."""
        async with self._one_at_a_time:
            await self._resend()

    async def _resend(self) -> None:
        while self.unsent:
            try:
                await self._send(self.unsent[0])
            except BackendUnavailable:
                return  # still away: the next time it is back
            except BackendError as exc:  # refused (e.g. that call is gone): drop it
                self.refused(self.unsent[0], exc.message)
            self.unsent.pop(0)
