"""The seat lock's rules: after `[console] idle_lock_minutes` without a key, or when the
backend refuses the token (401: expired or revoked), the seat locks until the same
agent signs in again (PCI DSS 8.2.8).

Idle tracking costs one clock read per key: one check is scheduled for when the seat
would become idle and scheduled again from the last key when it finds the seat in
use. An incoming call while locked waits (it would show the caller) and rings on
unlock. What locking looks like (an opaque screen over everything, the cursor put
back afterwards) is screens/idle_lock.py, which sets the callbacks below. No Textual
here; the clock is injected.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent_console import auth
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _, sentences
from agent_console.seat.ports import Spawn, Tell

if TYPE_CHECKING:
    from agent_console.models.agent import Agent
    from agent_console.session import SessionState

log = logging.getLogger("agent_console.lock")


class TokenClient(Protocol):
    """The part of the BackendClient the lock uses: its token, and a request."""

    token: str | None

    @property
    def base_url(self) -> str: ...

    async def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, auth: bool = True
    ) -> Any: ...


def _nothing(*_args: object) -> None:
    return None


class SeatLock:
    """When to lock, and what signing in again restores. One per seat."""

    def __init__(
        self,
        session: SessionState,
        client: TokenClient,
        *,
        timeout: float,
        remember_login: bool,
        spawn: Spawn,
        tell: Tell,
        publish: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.client = client
        self.timeout = timeout  # seconds without a key; 0: never
        self.remember_login = remember_login
        self.spawn = spawn
        self.tell = tell
        self.publish = publish
        self.clock = clock
        self.last_key = clock()
        self.locked = False
        self.reason = ""
        self._held: list[Callable[[], None]] = []
        # What the screens do, set by them: check again after so many seconds (None:
        # no check); cover the seat (the reason to show); show how many calls wait.
        self.schedule: Callable[[float | None], None] = _nothing
        self.cover: Callable[[str], None] = _nothing
        self.show_waiting: Callable[[int], None] = _nothing
        # Told in order once the agent has signed in again (before the held calls
        # ring): the event stream and the outbox go on, the cursor goes back.
        self.on_unlock: list[Callable[[], None]] = []

    @property
    def waiting(self) -> int:
        """Calls that rang while locked."""
        return len(self._held)

    def start(self) -> None:
        """Start watching for idleness (after the first paint)."""
        self._arm(self.timeout)

    # -- idle ------------------------------------------------------------------------
    def key(self) -> bool:
        """A key was pressed: the seat is in use. False if it is for the lock screen."""
        self.last_key = self.clock()
        return not self.locked

    def _arm(self, delay: float) -> None:
        self.schedule(max(delay, 0.01) if self.timeout > 0 else None)

    def check(self) -> None:
        """The scheduled check: lock an idle seat, else look again when it could be."""
        if self.locked:
            return  # armed again on unlock
        idle = self.clock() - self.last_key
        if idle >= self.timeout and self.session.agent is not None:
            self.lock(
                sentences(
                    _("Locked after {time} without a key.").format(time=idle_time(self.timeout)),
                    _("Sign in again to go on; nothing you typed is lost."),
                )
            )
            return
        self._arm(self.timeout - idle if idle < self.timeout else self.timeout)

    # -- locking -----------------------------------------------------------------------
    def session_ended(self) -> None:
        """The backend refused the token mid-session (BackendClient.on_unauthorized).
        Before the first sign-in the start-up sign-in form asks by itself."""
        if self.session.agent is None or self.locked:
            return
        self.lock(
            sentences(
                _("Your session has ended."),
                _("Sign in again to go on; nothing you typed is lost."),
            )
        )

    def lock(self, reason: str) -> None:
        agent = self.session.agent
        if self.locked or agent is None:
            return
        log.info("seat locked for agent %s: %s", agent.id, reason)
        self.locked, self.reason = True, reason
        self.cover(reason)

    def hold(self, later: Callable[[], None]) -> bool:
        """While locked, keep `later` (e.g. an incoming call's screen-pop) for the unlock."""
        if not self.locked:
            return False
        self._held.append(later)
        self.show_waiting(len(self._held))
        return True

    # -- signing in again ----------------------------------------------------------------
    def unlocked(self, token: str, agent: Agent) -> None:
        """The agent signed in again: the new token everywhere, and on with the work."""
        old = self.client.token
        keep_token(self.client, token, remember=self.remember_login, tell=self.tell)
        self.locked, self.reason = False, ""
        log.info("seat unlocked by agent %s", agent.id)
        self.session.agent = agent
        self.publish()
        if old and old != token:
            self.spawn(self._revoke(old), group="lock-revoke")
        for listener in list(self.on_unlock):
            listener()
        held, self._held = self._held, []
        for later in held:
            later()
        self.last_key = self.clock()
        self._arm(self.timeout)

    async def _revoke(self, token: str) -> None:
        """The token the lock replaced is of no more use: revoke it, quietly."""
        with contextlib.suppress(BackendUnavailable, BackendError):
            await self.client.request(
                "POST", "/auth/logout", headers={"Authorization": f"Bearer {token}"}, auth=False
            )


def idle_time(seconds: float) -> str:
    if seconds < 60:
        return _("{n} s").format(n=round(seconds))
    return _("{n} min").format(n=round(seconds / 60))


def keep_token(client: TokenClient, token: str, *, remember: bool, tell: Tell) -> None:
    """The token for every request from now on, and in the keyring if logins are
    remembered (a warning, not a failure, when there is no keyring)."""
    client.token = token
    if not remember:
        return
    try:
        auth.save_token(client.base_url, token)
    except auth.KeyringUnavailable as exc:
        # One line that says what to do; the keyring's own story (a dozen lines of
        # NoKeyringError) goes to the log, not over the screen the agent works on.
        log.warning("token kept for this session only: %s", exc)
        tell(
            _("No keyring: set {env} to stay signed in.").format(env=auth.ENV_TOKEN),
            severity="warning",
            timeout=8,
        )
