"""The seat lock: after `[console] idle_lock_minutes` without a key, or when the backend
refuses the token (401: expired or revoked), an opaque screen covers everything
until the same agent signs in again (PCI DSS 8.2.8).

The screens under the lock are left exactly as they were (a half-typed ticket stays
typed, the cursor goes back where it was); keys typed on the lock screen go to its
own form only. Idle tracking costs one clock read per key: a single timer is armed
for when the seat would become idle and re-armed from the last key when it fires.
An incoming call while locked waits (it would show the caller) and pops on unlock.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen, SystemModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from agent_console import auth
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Agent
from agent_console.screens.login import LoginScreen
from agent_console.screens.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.lock")


class LockScreen(LoginScreen):
    """The sign-in form over everything, for the agent who holds the seat."""

    DEFAULT_CSS = """
    LockScreen { background: $background; }
    LockScreen #sb-call { display: none; }
    LockScreen ToastRack { display: none; }
    LockScreen #login-box { border-title-style: bold; }
    LockScreen #lock-waiting { text-style: bold; width: 60; }
    LockScreen #lock-keys { width: 60; }
    """
    AUTO_FOCUS = "#login-password"

    def __init__(self, lock: SeatLock, agent: Agent, reason: str) -> None:
        super().__init__(lock.console.client.base_url, reason)
        self.seat_lock = lock  # (not `lock`: Widget.lock is Textual's own RLock)
        self.agent = agent

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from super().compose()
        yield Static(id="lock-waiting")
        yield Static(Content(_("Enter: sign in · Ctrl+Q: quit")), id="lock-keys")

    def on_mount(self) -> None:
        self.query_one("#login-box").border_title = Content("■ " + _("LOCKED") + " ■")
        self.query_one("#login-agent", Input).value = self.agent.id
        self.show_waiting(self.seat_lock.waiting)

    def on_screen_resume(self) -> None:
        # A lock left under other screens (see SeatLock.cover) goes once signed in.
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


class SeatLock:
    """When to lock, and what signing in again restores. One per App."""

    def __init__(self, console: AgentConsole, clock: Callable[[], float] = time.monotonic) -> None:
        self.console = console
        self.clock = clock
        self.timeout = console.settings.console.idle_lock_minutes * 60  # 0: never
        self.last_key = clock()
        self.locked = False
        self.reason = ""
        self._timer: Timer | None = None
        self._held: list[Callable[[], None]] = []
        self._focus: tuple[Screen[object], Widget] | None = None

    @property
    def waiting(self) -> int:
        return len(self._held)

    def install(self) -> None:
        """Start watching (after the first paint)."""
        self.console.screen_change_signal.subscribe(self.console, self._screen_changed)
        self._arm(self.timeout)

    # -- idle ------------------------------------------------------------------------
    def key(self) -> bool:
        """A key was pressed: the seat is in use. False if it is for the lock screen."""
        self.last_key = self.clock()
        return not self.locked

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.timeout > 0:
            self._timer = self.console.set_timer(max(delay, 0.01), self._check, name="idle-lock")

    def _check(self) -> None:
        self._timer = None
        if self.locked:
            return  # armed again on unlock
        idle = self.clock() - self.last_key
        if idle >= self.timeout and self.console.session.agent is not None:
            self.lock(
                _("Locked after {time} without a key.").format(time=_idle_time(self.timeout))
                + " "
                + _("Sign in again to go on; nothing you typed is lost.")
            )
            return
        self._arm(self.timeout - idle if idle < self.timeout else self.timeout)

    # -- locking -----------------------------------------------------------------------
    def session_ended(self) -> None:
        """The backend refused the token mid-session (BackendClient.on_unauthorized).
        Before the first sign-in the start-up sign-in form asks by itself."""
        if self.console.session.agent is None or self.locked:
            return
        self.lock(
            _("Your session has ended.")
            + " "
            + _("Sign in again to go on; nothing you typed is lost.")
        )

    def lock(self, reason: str) -> None:
        agent = self.console.session.agent
        if self.locked or agent is None:
            return
        log.info("seat locked for agent %s: %s", agent.id, reason)
        self.locked, self.reason = True, reason
        screen = self.console.screen
        self._focus = (screen, screen.focused) if screen.focused is not None else None
        self.console.clear_notifications()  # a toast may name the caller
        self.cover()

    def cover(self) -> None:
        """Put a lock screen on top of the current screen stack."""
        agent = self.console.session.agent
        if agent is not None:
            self.console.push_screen(LockScreen(self, agent, self.reason))

    def _screen_changed(self, _screen: Screen[object]) -> None:
        """Whatever shows a screen while locked (a mode switch, a late worker) finds
        the lock put back on top of it."""
        top = self.console.screen
        if self.locked and not isinstance(top, (LockScreen, SystemModalScreen)):
            log.info("a screen came up while locked: covered again")
            self.cover()

    def hold(self, later: Callable[[], None]) -> bool:
        """While locked, keep `later` (e.g. an incoming call's screen-pop) for the unlock."""
        if not self.locked:
            return False
        self._held.append(later)
        if isinstance(self.console.screen, LockScreen):
            self.console.screen.show_waiting(len(self._held))
        return True

    # -- signing in again ----------------------------------------------------------------
    def unlocked(self, token: str, agent: Agent) -> None:
        """The agent signed in again: the new token everywhere, and on with the work."""
        console = self.console
        old = console.client.token
        keep_token(console, token)
        self.locked, self.reason = False, ""
        log.info("seat unlocked by agent %s", agent.id)
        console.session.agent = agent
        console.publish_status()
        console.event_stream.start()  # the stream reconnects with the new token
        console.outbox.start()  # kept tickets go on being sent
        if old and old != token:
            console.run_worker(self._revoke(old), group="lock-revoke", exit_on_error=False)
        if self._focus is not None:
            screen, widget = self._focus
            self._focus = None
            # After the screen's own resume handler (queued first), which focuses its
            # typing target: the cursor goes back where the agent left it.
            screen.call_later(self._refocus, screen, widget)
        held, self._held = self._held, []
        for later in held:
            later()
        self.last_key = self.clock()
        self._arm(self.timeout)

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

    async def _revoke(self, token: str) -> None:
        """The token the lock replaced is of no more use: revoke it, quietly."""
        with contextlib.suppress(BackendUnavailable, BackendError):
            await self.console.client.request(
                "POST", "/auth/logout", headers={"Authorization": f"Bearer {token}"}, auth=False
            )


def _idle_time(seconds: float) -> str:
    if seconds < 60:
        return _("{n} s").format(n=round(seconds))
    return _("{n} min").format(n=round(seconds / 60))


def keep_token(console: AgentConsole, token: str) -> None:
    """The token for every request from now on, and in the keyring if logins are
    remembered (a warning, not a failure, when there is no keyring)."""
    console.client.token = token
    if not console.remember_login:
        return
    try:
        auth.save_token(console.client.base_url, token)
    except auth.KeyringUnavailable as exc:
        console.notify(
            str(exc),
            title=_("Token kept for this session only"),
            severity="warning",
            timeout=15,
            markup=False,
        )
