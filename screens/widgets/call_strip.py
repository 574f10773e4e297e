"""The call strip under the status bar, on every screen: the current call in one line.

Who (name, masked number), which way, how long, and where the call stands: ringing
(with the key that takes it), on call, after-call work (with the key for the code),
and the state chosen for after the call. Never the full number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from agent_console.agent_state import NOT_READY, reason_label
from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.quiet_text import show_text
from agent_console.screens.widgets.status_bar import StatusBar
from agent_console.strip_fit import StripParts, fit
from agent_console.text import mask_phone

if TYPE_CHECKING:
    from agent_console.seat import SeatCore
    from agent_console.session import SessionState


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(max(seconds, 0)), 60)
    return f"{minutes:02d}:{secs:02d}"


class CallStrip(ConsoleAccess, Horizontal):
    DEFAULT_CSS = """
    CallStrip {
        height: 1;
        dock: top;
        margin-top: 1;
        background: $boost;
        color: $text-muted;
    }
    CallStrip > Static { width: auto; padding: 0 0 0 1; }
    CallStrip #cs-phase { text-style: bold; }
    CallStrip.-active { color: $text; }
    CallStrip.-ringing #cs-phase { background: $warning; color: $text; }
    CallStrip.-acw #cs-phase { background: $warning 60%; color: $text; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="cs-phase")
        yield Static(id="cs-who")
        yield Static(id="cs-time")
        yield Static(id="cs-after")
        yield Static(id="cs-hint")

    def on_resize(self) -> None:
        self._on_status(self.console.session)

    def on_mount(self) -> None:
        self.console.status_signal.subscribe(self, self._on_status)
        self._on_status(self.console.session)
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self._on_status(self.console.session)

    def _key(self, action: str) -> str:
        return self.key_of(action)

    def _on_status(self, session: SessionState) -> None:
        core: SeatCore = self.console.seat.core
        call = core.call
        phase = call.phase
        self.set_class(phase is not None, "-active")
        self.set_class(phase == "ringing", "-ringing")
        self.set_class(phase == "acw", "-acw")
        if phase is None:
            self._show("☎ " + _("no call"), "", "", "", "")
            return
        name = call.caller.name if call.caller else call.caller_name or _("unknown caller")
        number = call.number_masked or (call.caller.phone if call.caller else "")
        number = number or mask_phone(call.number)
        inbound = call.direction == "in"
        if phase == "ringing":
            label = "☎ " + _("RINGING")
            hint = _("{key}: take").format(key=self._key("call.card"))
        elif phase == "on_call":
            label = "◉ " + _("ON CALL")
            hint = _("{key}: card").format(key=self._key("call.card"))
        else:
            label = "◐ " + _("AFTER-CALL WORK")
            hint = _("{key}: wrap-up code").format(key=self._key("seat.wrap_up"))
        if phase == "acw":
            seconds = session.seat.call_seconds
            elapsed = _duration(seconds) if seconds is not None else ""
        else:
            started = call.started
            elapsed = "" if started is None else _duration(StatusBar.clock.since(started))
        then = ""
        if core.after_call is not None:  # the state chosen for after the call (F8)
            state, reason = core.after_call
            then = (
                _("Not ready: {reason}").format(reason=reason_label(reason))
                if state == NOT_READY
                else _("Ready")
            )
        parts = StripParts(
            phase=label,
            arrow="⇣" if inbound else "⇡",
            way=_("in") if inbound else _("out"),
            name=name,
            number=number,
            elapsed=elapsed,
            after=then,
            after_prefix=_("then: {state}").format(state=""),
            hint=hint,
        )
        self._show(*fit(parts, self.size.width or 80))

    def _show(self, phase: str, who: str, elapsed: str, after: str, hint: str) -> None:
        parts = (("phase", phase), ("who", who), ("time", elapsed), ("after", after))
        for part, text in (*parts, ("hint", hint)):
            widget = self.query_one(f"#cs-{part}", Static)
            show_text(widget, text)  # every second: no layout pass when nothing changed
            widget.display = bool(text)
