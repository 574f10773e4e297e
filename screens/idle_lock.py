"""The seat lock on screen: an opaque sign-in screen over everything until the same
agent signs in again. When to lock and what unlocking restores are the seat's core
(agent_console/seat/lock.py, no Textual); this shows it and runs its one timer.

The screens under the lock are left exactly as they were (a half-typed ticket stays
typed, the cursor goes back where it was); keys typed on the lock screen go to its
own form only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen, SystemModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from agent_console.i18n import _
from agent_console.models import Agent
from agent_console.screens.login import LoginScreen
from agent_console.screens.widgets.status_bar import StatusBar
from agent_console.seat.lock import SeatLock

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.lock")


class LockScreen(LoginScreen):
    """The sign-in form over everything, for the agent who holds the seat."""

    DEFAULT_CSS = """
    LockScreen { background: $background; }
    LockScreen ToastRack { display: none; }
    LockScreen #login-box { border-title-style: bold; }
    LockScreen #lock-waiting { text-style: bold; width: 60; }
    """
    AUTO_FOCUS = "#login-password"

    def __init__(self, lock: SeatLock, agent: Agent, reason: str) -> None:
        super().__init__(lock.client.base_url, reason)
        self.seat_lock = lock  # (not `lock`: Widget.lock is Textual's own RLock)
        self.agent = agent

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from super().compose()
        yield Static(id="lock-waiting")

    def on_mount(self) -> None:
        self.query_one("#login-box").border_title = Content("■ " + _("LOCKED") + " ■")
        self.query_one("#login-agent", Input).value = self.agent.id
        self.show_waiting(self.seat_lock.waiting)

    def on_screen_resume(self) -> None:
        # A lock left under other screens (see LockCover.cover) goes once signed in.
        if not self.seat_lock.locked and self.app.screen is self:
            self.dismiss()

    def show_waiting(self, calls: int) -> None:
        text = "☎ " + _("A call came in: sign in to take it.") if calls else ""
        self.query_one("#lock-waiting", Static).update(Content(text))

    def refusal(self, agent_id: str) -> str:
        if agent_id == self.agent.id:
            return ""
        return _(
            "This seat is held by agent {agent}: only {agent} can unlock it. "
            "To hand the seat over, {agent} signs out (or quit with Ctrl+Q)."
        ).format(agent=self.agent.id)

    def signed_in(self, token: str, agent: Agent) -> None:
        if agent.id != self.agent.id:  # cannot happen: the number was checked above
            self._error("✗ " + self.refusal(agent.id))
            return
        if self.app.screen is self:
            self.dismiss()  # pops now: the screen below resumes before focus comes back
        self.seat_lock.unlocked(token, agent)


class LockCover:
    """The lock's screen side: its timer, the lock screen, the focus kept meanwhile."""

    def __init__(self, console: AgentConsole, lock: SeatLock) -> None:
        self.console = console
        self.lock = lock
        self._timer: Timer | None = None
        self._focus: tuple[Screen[object], Widget] | None = None
        lock.schedule = self._schedule
        lock.cover = self._locked
        lock.show_waiting = self._show_waiting
        lock.on_unlock.append(self._unlocked)

    def install(self) -> None:
        """Start watching (after the first paint)."""
        self.console.screen_change_signal.subscribe(self.console, self._screen_changed)
        self.lock.start()

    def _schedule(self, delay: float | None) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay is not None:
            self._timer = self.console.set_timer(delay, self._check, name="idle-lock")

    def _check(self) -> None:
        self._timer = None
        self.lock.check()

    def _locked(self, _reason: str) -> None:
        screen = self.console.screen
        self._focus = (screen, screen.focused) if screen.focused is not None else None
        self.console.clear_notifications()  # a toast may name the caller
        self.cover()

    def cover(self) -> None:
        """Put a lock screen on top of the current screen stack."""
        agent = self.console.session.agent
        if agent is not None:
            self.console.push_screen(LockScreen(self.lock, agent, self.lock.reason))

    def _screen_changed(self, _screen: Screen[object]) -> None:
        """Whatever shows a screen while locked (a mode switch, a late worker) finds
        the lock put back on top of it."""
        top = self.console.screen
        if self.lock.locked and not isinstance(top, (LockScreen, SystemModalScreen)):
            log.info("a screen came up while locked: covered again")
            self.cover()

    def _show_waiting(self, calls: int) -> None:
        if isinstance(self.console.screen, LockScreen):
            self.console.screen.show_waiting(calls)

    def _unlocked(self) -> None:
        if self._focus is not None:
            screen, widget = self._focus
            self._focus = None
            # After the screen's own resume handler (queued first), which focuses its
            # typing target: the cursor goes back where the agent left it.
            screen.call_later(self._refocus, screen, widget)

    @staticmethod
    def _refocus(screen: Screen[object], widget: Widget) -> None:
        if not (widget.is_attached and screen.is_current):
            return
        if isinstance(widget, Input):
            # Focusing an Input selects all of it: the next key would replace what
            # was typed. Put the cursor back as it was, after the focus is handled.
            selection = widget.selection
            screen.set_focus(widget)
            widget.call_later(setattr, widget, "selection", selection)
        else:
            screen.set_focus(widget)
