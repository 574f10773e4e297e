"""The line every screen starts with: who, in what state, backend, clock (the call
has its own line under it: screens/widgets/call_strip.py).

States are said in words and symbols, never by colour alone.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.parts_line import PartsLine

if TYPE_CHECKING:
    from agent_console.seat import SeatCore
    from agent_console.session import SessionState


class Clock:
    """Where the status bar reads the time: the wall clock it shows and how long the
    seat state and the call have run. Layout snapshots install one that stands still
    (tests/ui/test_layout_snapshots.py)."""

    def wall(self) -> str:
        return time.strftime("%H:%M:%S")

    def since(self, start: float) -> float:
        """Seconds from `start` (a time.monotonic() reading) to now."""
        return time.monotonic() - start


NARROW = 100  # columns below which the status bar leaves out the wall clock


class StatusBar(ConsoleAccess, PartsLine):
    """One widget, its parts drawn as spans (screens/widgets/parts_line.py)."""

    #: The time source of every status bar (see Clock).
    clock: ClassVar[Clock] = Clock()

    ORDER = ("practice", "agent", "state", "backend", "events", "outbox")
    RIGHT = "clock"
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        dock: top;
        background: $panel;
        color: $text;
    }
    """
    #: The styles of the parts that stand out (theme variables, resolved at each draw).
    ALERT = "bold $text on $error"
    WARN = "bold $text on $warning"

    def __init__(self) -> None:
        super().__init__()
        # Filled before the first paint: the agent's number is on the first frame
        # (bench startup waits for it), not on the one after the Mount handlers.
        self._narrow = self._is_narrow()
        self._on_status(self.console.session)

    def _is_narrow(self) -> bool:
        # Below 100 columns the wall clock goes first (the seat has one): the states,
        # the outbox count an agent needs must never be cut off.
        return (self.size.width or self.app.size.width) < NARROW

    def on_mount(self) -> None:
        self.console.status_signal.subscribe(self, self._on_status)
        self._on_status(self.console.session)
        self.set_interval(1.0, self._tick)

    def on_resize(self) -> None:
        narrow = self._is_narrow()
        if narrow != self._narrow:
            self._narrow = narrow
            self._on_status(self.console.session)

    def _tick(self) -> None:
        self._show_clock()
        self._show_seat(self.console.session)

    def _show_clock(self) -> None:
        self.show("clock", "" if self._narrow else self.clock.wall())

    def _show_seat(self, session: SessionState) -> None:
        """The seat state in words with its timer: "Not ready: break 03:12", and
        "Ringing 00:04" while a call rings here (agent_console/seat/state.py)."""
        core: SeatCore = self.console.seat.core
        state, since = core.shown()
        # A symbol per state as well as the words: ● ready, ☎ ringing, ◉ on a call,
        # ◐ after-call work, ○ not ready, ⊘ signed out from the floor (the colours of
        # the styles are only a help).
        symbol = {"ringing": "☎", "on_call": "◉", "acw": "◐", "not_ready": "○",
                  "signed_out": "⊘"}.get(state, "●")  # fmt: skip
        style = {"ringing": self.WARN, "acw": self.WARN, "not_ready": "bold"}.get(state, "")
        self.show("state", f"{symbol} {core.label(now=since + self.clock.since(since))}", style)

    def _on_status(self, session: SessionState) -> None:
        self.show("practice", _("PRACTICE") if session.practice else "", self.WARN)
        agent = session.agent
        if agent is not None:
            who = f"{agent.agent_no} {agent.name}"
        else:
            who = _("signing in…") if session.signing_in else _("not signed in")
        self.show("agent", who)
        self._show_seat(session)
        if session.backend_ok is None:
            self.show("backend", f"… {_('backend: checking')}")
        elif session.backend_ok:
            self.show("backend", f"✓ {_('backend online')}")
        else:
            self.show("backend", f"✗ {_('BACKEND DOWN')}", self.ALERT)
        self._show_events(session.events)
        self._show_outbox(session)
        self._show_clock()

    def _show_events(self, state: str) -> None:
        """The event stream that pops incoming calls: live, (re)connecting, or off."""
        if self._narrow:  # symbols only: "⇅" live, "…⇅" connecting, "✗⇅" down
            text = {"live": "⇅", "connecting": "…⇅", "retrying": "✗⇅"}.get(state, "")
        else:
            text = {
                "live": "⇅ " + _("calls live"),
                "connecting": "… " + _("calls connecting"),
                "retrying": "✗ " + _("calls reconnecting"),
            }.get(state, "")
        self.show("events", text, "bold $warning" if state == "retrying" else "")

    def _show_outbox(self, session: SessionState) -> None:
        """Tickets kept locally: how many wait to be sent, how many the backend refused."""
        parts = []
        if session.outbox_waiting:
            parts.append("⇪ " + _("{n} waiting").format(n=session.outbox_waiting))
        if session.outbox_refused:
            parts.append("✗ " + _("{n} refused").format(n=session.outbox_refused))
        narrow = self._narrow  # 80 columns: short forms, the notice says more
        others = session.outbox_others  # only their own console can send them
        if others and narrow:
            parts.append("⇪ +" + str(sum(n for _agent, n in others)))
        else:
            parts.extend("⇪ " + _("{n} of {agent}").format(n=n, agent=a) for a, n in others)
        if session.problems:
            from agent_console.screens.trouble import part_name

            names = ", ".join(part_name(p) for p in sorted(session.problems))
            parts.append(
                "⚠ " + (_("seat problem") if narrow else _("{parts} failing").format(parts=names))
            )
        refused = bool(session.outbox_refused or session.problems)
        self.show("outbox", " ".join(parts), self.ALERT if refused else "bold $warning")
