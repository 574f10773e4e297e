"""The hotkey screens mounted in the background, and quitting only between mounts.

After the first paint the other hotkey screens are mounted one by one, so the first
F-key finds its screen ready. Textual mounts nothing more once `exit()` has been
called (and nothing under a node being pruned at shutdown), yet a widget whose
compose comes after that still gets its Mount event, with no children: a screen
half-way through mounting then runs its Mount handlers on an empty tree (NoMatches,
the console exited 1 on a Ctrl+Q right after start). So the console quits, and
shuts down, only once no screen is mid-mount, and starts no new background mount
once quitting.

A mount holds the event loop for a few hundred milliseconds on a loaded machine, and a
key read meanwhile waits behind it: the agent who types the moment their number shows
saw the first keys appear 2-3 s late (three screens composed before the key's turn).
So no mount starts while the agent is typing (a key read by the terminal within the
pop policy's quiet time): the screens are mounted in the pauses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

log = logging.getLogger("agent_console.screens")

#: Gap between two background mounts: keys typed meanwhile are handled in between.
MOUNT_GAP = 0.05
#: How often a mount put off by typing looks again.
TYPING_RECHECK = 0.25
#: Longest wait for a screen to finish mounting before quitting anyway; a mount takes
#: tens of milliseconds, a few hundred on a loaded 2-core machine.
SETTLE_TIMEOUT = 5.0


class ScreenMounts:
    def __init__(
        self,
        app: App[Any],
        modes: Iterable[str],
        typing: Callable[[], bool] = lambda: False,
        first_pause: float = 0.0,
        first: Callable[[], None] | None = None,
        last: Callable[[], None] | None = None,
    ) -> None:
        self.console = app
        self.modes = tuple(modes)
        self.first_pause = first_pause
        self.typing = typing  # the agent is typing now: no mount may hold their keys
        self.first = first  # run once in the first pause of typing, before any mount
        self.last = last  # run once when every screen is mounted
        self.quitting = False
        self.begun = False

    def begin(self) -> None:
        """Start the background mounts, once (later calls do nothing)."""
        if not self.begun:
            self.begun = True
            # The agent types the moment the screen is theirs: the first mount waits for
            # a pause as much as the later ones.
            self.console.set_timer(self.first_pause, self.start)

    def start(self) -> None:
        """Mount one more hotkey screen in the background, then yield to typing."""
        if self.quitting:
            return
        if self.typing():
            self.console.set_timer(TYPING_RECHECK, self.start)
            return
        if self.first is not None:
            first, self.first = self.first, None
            first()
            self.console.set_timer(MOUNT_GAP, self.start)
            return
        for mode in self.modes:
            if mode not in self.console._screen_stacks:
                # Textual's own mode set-up, without switching to it. (Private API;
                # Textual is pinned below 9.)
                log.info("mounting the %s screen in the background", mode)
                self.console._init_mode(mode)
                self.console.set_timer(MOUNT_GAP, self.start)
                return
        if self.mounting():  # the last one is still on its way
            self.console.set_timer(MOUNT_GAP, self.start)
            return
        log.info("every hotkey screen is mounted")
        if self.last is not None:
            last, self.last = self.last, None
            last()

    def mounting(self) -> list[Screen[object]]:
        """Screens started but not yet mounted (in the background, pushed or switched to)."""
        screens = {s for stack in self.console._screen_stacks.values() for s in stack}
        return [s for s in screens if s._task is not None and not s.is_mounted]

    async def settled(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until no screen is mid-mount (a screen shown meanwhile is waited for too)."""
        deadline = time.monotonic() + timeout
        while (screens := self.mounting()) and (left := deadline - time.monotonic()) > 0:
            waits = [asyncio.ensure_future(s._mounted_event.wait()) for s in screens]
            _done, pending = await asyncio.wait(waits, timeout=left)
            for wait in pending:
                wait.cancel()

    def quit(self, exit_now: Callable[[], None], timeout: float = SETTLE_TIMEOUT) -> None:
        """Call `exit_now` (Textual's exit) at once, or once no screen is mid-mount
        (or after `timeout` seconds)."""
        self.quitting = True
        if not self.mounting():
            exit_now()
            return

        async def when_mounted() -> None:
            await self.settled(timeout)
            exit_now()

        self.console.run_worker(when_mounted(), group="quit", exclusive=True, exit_on_error=False)
