"""The line every screen starts with: who, in what state, backend, clock (the call
has its own line under it: screens/widgets/call_strip.py).

States are said in words and symbols, never by colour alone.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.quiet_text import show_text

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


class StatusBar(ConsoleAccess, Horizontal):
    #: The time source of every status bar (see Clock).
    clock: ClassVar[Clock] = Clock()

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        dock: top;
        background: $panel;
        color: $text;
    }
    StatusBar > Static { width: auto; padding: 0 0 0 1; }
    StatusBar.-narrow #sb-clock { display: none; }
    StatusBar #sb-practice { background: $warning; color: $text; text-style: bold; }
    StatusBar #sb-backend.-down { background: $error; color: $text; text-style: bold; }
    StatusBar #sb-events.-down { color: $warning; text-style: bold; }
    StatusBar #sb-outbox { color: $warning; text-style: bold; }
    StatusBar #sb-outbox.-refused { background: $error; color: $text; }
    StatusBar #sb-spacer { width: 1fr; }
    StatusBar #sb-state.-ringing { background: $warning; color: $text; text-style: bold; }
    StatusBar #sb-state.-acw { background: $warning; color: $text; text-style: bold; }
    StatusBar #sb-state.-notready { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="sb-practice")
        yield Static(id="sb-agent")
        yield Static(id="sb-state")
        yield Static(id="sb-backend")
        yield Static(id="sb-events")
        yield Static(id="sb-outbox")
        yield Static(id="sb-spacer")
        yield Static(Content(self.clock.wall()), id="sb-clock")

    def on_mount(self) -> None:
        self.console.status_signal.subscribe(self, self._on_status)
        self._on_status(self.console.session)
        self.set_interval(1.0, self._tick)

    def on_resize(self) -> None:
        # Below 100 columns the wall clock goes first (the seat has one): the states,
        # the outbox count an agent needs must never be cut off.
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._on_status(self.console.session)

    def _tick(self) -> None:
        show_text(self.query_one("#sb-clock", Static), self.clock.wall())  # as wide: no layout
        self._show_seat(self.console.session)

    def _show_seat(self, session: SessionState) -> None:
        """The seat state in words with its timer: "Not ready: break 03:12", and
        "Ringing 00:04" while a call rings here (agent_console/seat/state.py)."""
        core: SeatCore = self.console.seat.core
        state, since = core.shown()
        label = self.query_one("#sb-state", Static)
        # A symbol per state as well as the words: ● ready, ☎ ringing, ◉ on a call,
        # ◐ after-call work, ○ not ready, ⊘ signed out from the floor (the colours of
        # the classes are only a help).
        symbol = {"ringing": "☎", "on_call": "◉", "acw": "◐", "not_ready": "○",
                  "signed_out": "⊘"}.get(state, "●")  # fmt: skip
        show_text(label, f"{symbol} {core.label(now=since + self.clock.since(since))}")
        label.set_class(state == "ringing", "-ringing")
        label.set_class(state == "acw", "-acw")
        label.set_class(state == "not_ready", "-notready")

    def _on_status(self, session: SessionState) -> None:
        practice = self.query_one("#sb-practice", Static)
        practice.display = session.practice
        practice.update(Content(_("PRACTICE")))
        agent = session.agent
        if agent is not None:
            who = Content(f"{agent.agent_no} {agent.name}")
        else:
            who = Content(_("signing in…") if session.signing_in else _("not signed in"))
        self.query_one("#sb-agent", Static).update(who)
        self._show_seat(session)
        backend = self.query_one("#sb-backend", Static)
        if session.backend_ok is None:
            backend.update(Content(f"… {_('backend: checking')}"))
        elif session.backend_ok:
            backend.update(Content(f"✓ {_('backend online')}"))
        else:
            backend.update(Content(f"✗ {_('BACKEND DOWN')}"))
        backend.set_class(session.backend_ok is False, "-down")
        self._show_events(session.events)
        self._show_outbox(session)

    def _show_events(self, state: str) -> None:
        """The event stream that pops incoming calls: live, (re)connecting, or off."""
        label = self.query_one("#sb-events", Static)
        if self.has_class("-narrow"):  # symbols only: "⇅" live, "…⇅" connecting, "✗⇅" down
            text = {"live": "⇅", "connecting": "…⇅", "retrying": "✗⇅"}.get(state, "")
        else:
            text = {
                "live": "⇅ " + _("calls live"),
                "connecting": "… " + _("calls connecting"),
                "retrying": "✗ " + _("calls reconnecting"),
            }.get(state, "")
        label.update(Content(text))
        label.display = bool(text)
        label.set_class(state == "retrying", "-down")

    def _show_outbox(self, session: SessionState) -> None:
        """Tickets kept locally: how many wait to be sent, how many the backend refused."""
        label = self.query_one("#sb-outbox", Static)
        parts = []
        if session.outbox_waiting:
            parts.append("⇪ " + _("{n} waiting").format(n=session.outbox_waiting))
        if session.outbox_refused:
            parts.append("✗ " + _("{n} refused").format(n=session.outbox_refused))
        narrow = self.has_class("-narrow")  # 80 columns: short forms, the notice says more
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
        label.update(Content(" ".join(parts)))
        label.display = bool(parts)
        label.set_class(bool(session.outbox_refused or session.problems), "-refused")
