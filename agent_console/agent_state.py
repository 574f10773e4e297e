"""The agent's own state at the seat, and the call timer, without Textual.

ready -> on a call -> after-call work (ACW) -> wrap-up code -> ready; or not ready
with a reason. A call that ends puts the agent in ACW; the next call waits until a
wrap-up code is chosen. The status bar shows the state in words with its timer,
e.g. "Not ready: break 03:12".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agent_console.i18n import N_, _

READY, NOT_READY, ACW, ON_CALL = "ready", "not_ready", "acw", "on_call"

# Reasons a team leader sees next to "not ready" (ids go to the backend).
NOT_READY_REASONS: tuple[tuple[str, str], ...] = (
    ("break", N_("break")),
    ("meal", N_("meal")),
    ("training", N_("training")),
    ("team_leader", N_("team leader's request")),
    ("coaching", N_("coaching / call review")),
    ("meeting", N_("meeting")),
    ("system", N_("system problem")),
)
# How a call ended: chosen in after-call work, required before the next call.
WRAP_UP_CODES: tuple[tuple[str, str], ...] = (
    ("answered", N_("answered on the call")),
    ("ticket", N_("ticket created / dispatched")),
    ("sms", N_("answer sent by SMS")),
    ("transfer", N_("transferred")),
    ("callback", N_("callback promised")),
    ("complaint", N_("complaint")),
    ("no_service", N_("not our service area")),
    ("wrong_number", N_("wrong number / silent")),
    ("dropped", N_("caller hung up")),
)


def reason_label(reason: str) -> str:
    return _(dict(NOT_READY_REASONS).get(reason, reason))


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(max(seconds, 0)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass
class SeatState:
    """What the agent is doing now and since when (monotonic seconds)."""

    state: str = READY
    reason: str = ""
    since: float = field(default_factory=time.monotonic)  # clock() when it began
    call_id: int | None = None  # the call being wrapped up
    call_seconds: float | None = None  # answer to hang-up of the last call
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def change(self, state: str, reason: str = "") -> bool:
        """Move to `state`; the timer restarts only when state or reason changes."""
        if (state, reason) == (self.state, self.reason):
            return False
        self.state, self.reason, self.since = state, reason, self.clock()
        return True

    def label(self, now: float | None = None) -> str:
        """The status bar's words, e.g. "Not ready: break 03:12" or "ACW 00:41"."""
        elapsed = clock((now if now is not None else self.clock()) - self.since)
        if self.state == NOT_READY:
            return _("Not ready: {reason} {elapsed}").format(
                reason=reason_label(self.reason), elapsed=elapsed
            )
        if self.state == ACW:
            return _("After-call work (wrap-up due) {elapsed}").format(elapsed=elapsed)
        if self.state == ON_CALL:
            return _("On a call {elapsed}").format(elapsed=elapsed)
        return _("Ready {elapsed}").format(elapsed=elapsed)
