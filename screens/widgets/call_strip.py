"""The call strip under the status bar, on every screen: the current call in one line.

Who (name, masked number), which way, how long, and where the call stands: ringing
(with the key that takes it), on call, after-call work (with the key for the code),
and the state chosen for after the call. Never the full number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from agent_console.agent_state import NOT_READY, reason_label
from agent_console.i18n import _
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.widgets.parts_line import PartsLine
from agent_console.screens.widgets.status_bar import StatusBar
from agent_console.strip_fit import StripParts, fit
from agent_console.text import mask_phone

if TYPE_CHECKING:
    from agent_console.seat import SeatCore
    from agent_console.session import SessionState


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(max(seconds, 0)), 60)
    return f"{minutes:02d}:{secs:02d}"


class CallStrip(ConsoleAccess, PartsLine):
    """One widget, its parts drawn as spans (screens/widgets/parts_line.py)."""

    ORDER = ("phase", "who", "time", "after", "hint")
    DEFAULT_CSS = """
    CallStrip {
        height: 1;
        dock: top;
        margin-top: 1;
        background: $boost;
        color: $text-muted;
    }
    CallStrip.-active { color: $text; }
    """
    #: The phase's style by phase: it stands out while the call rings and in wrap-up.
    PHASE_STYLE: ClassVar[dict[str | None, str]] = {
        "ringing": "bold $text on $warning",
        "acw": "bold $text on $warning 60%",
    }

    def __init__(self) -> None:
        super().__init__()
        self._on_status(self.console.session)  # on the first frame, not the next

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
        if phase is None:
            self._show(None, "☎ " + _("no call"), "", "", "", "")
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
        self._show(phase, *fit(parts, self.size.width or self.app.size.width or 80))

    def _show(
        self, phase: str | None, label: str, who: str, elapsed: str, after: str, hint: str
    ) -> None:
        self.show("phase", label, self.PHASE_STYLE.get(phase, "bold"))
        for part, text in (("who", who), ("time", elapsed), ("after", after), ("hint", hint)):
            self.show(part, text)
