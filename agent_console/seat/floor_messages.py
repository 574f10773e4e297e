"""What the floor says to this seat (issue 16): a supervisor's one-line messages, kept on
screen until the agent marks them read, and the supervisor's hand on the seat (set
ready / not ready, signed out, a ticket handed over), each told in one sentence that
names the supervisor.

It follows the backend's events (`floor_message`, `seat_state_forced`, `signed_out`,
`ticket_reassigned`) and loads the unread messages after every sign-in (messages sent
while the console was closed). A forced sign-out locks the seat with its reason: the
screens stay under the lock as they were, drafts and the outbox included, and the
same agent signs in again to go on. No Textual here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent_console.agent_state import NOT_READY, READY, reason_label
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models.floor import FloorMessage
from agent_console.seat.ports import Spawn, Tell
from agent_console.seat.state import Change

if TYPE_CHECKING:
    from agent_console.seat.event_stream import EventStream
    from agent_console.seat.state import SeatCore

log = logging.getLogger("agent_console.floor")


class FloorClient(Protocol):
    """The part of the BackendClient the floor messages use."""

    async def unread_messages(self) -> list[FloorMessage]: ...
    async def read_message(self, message_id: int) -> FloorMessage: ...


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def supervisor(data: dict[str, Any]) -> str:
    """ "Wang Li (9001)", or whichever of the two the event has."""
    name, number = _text(data, "by_name"), _text(data, "by_no")
    if name and number:
        return f"{name} ({number})"
    return name or number or _("a supervisor")


def state_sentence(data: dict[str, Any]) -> str:
    """`seat_state_forced` told in one sentence."""
    who = supervisor(data)
    if data.get("state") == NOT_READY:
        reason = reason_label(_text(data, "reason"))
        return _("Supervisor {who} set you not ready: {reason}.").format(who=who, reason=reason)
    return _("Supervisor {who} set you ready.").format(who=who)


def sign_out_sentence(data: dict[str, Any]) -> str:
    """`signed_out` told in one sentence, and what to do (for the sign-in form)."""
    who, reason = supervisor(data), _text(data, "reason")
    said = (
        _("Supervisor {who} signed you out: {reason}.").format(who=who, reason=reason)
        if reason
        else _("Supervisor {who} signed you out.").format(who=who)
    )
    return said + " " + _("Sign in again to go on; nothing you typed is lost.")


def reassigned_sentence(data: dict[str, Any]) -> str:
    ticket = data.get("ticket_id")
    number = ticket if isinstance(ticket, int) and not isinstance(ticket, bool) else "?"
    return _("Supervisor {who} gave you ticket #{ticket}.").format(
        who=supervisor(data), ticket=number
    )


def message_line(message: FloorMessage, more: int) -> str:
    """The strip's text: who, what, and how many more wait behind it."""
    who = f"{message.from_name} ({message.from_agent_no})" if message.from_name else ""
    line = f"{who}: {message.text}" if who else message.text
    if more:  # Chinese: no space before the full-width bracket
        line = _("{message} (+{n} more)").format(message=line, n=more)
    return line


def apply_forced_state(core: SeatCore, state: str, reason: str) -> None:
    """The backend has the supervisor's state already (nothing to report back). During
    a call the console keeps it for after the call, as F8 does."""
    if state not in (READY, NOT_READY):
        return
    reason = reason if state == NOT_READY else ""
    if core.call.active:
        core.after_call = (state, reason)
    else:
        core.state.change(state, reason)
    core.on_change()


class FloorDesk:
    """This seat's floor messages (the oldest unread first) and the supervisor's hand."""

    def __init__(
        self,
        client: FloorClient,
        core: SeatCore,
        *,
        spawn: Spawn,
        tell: Tell,
        lock: Callable[[str], None],
    ) -> None:
        self.client = client
        self.core = core
        self.spawn = spawn
        self.tell = tell
        self.lock = lock  # lock the seat with this reason (SeatLock.lock)
        self.unread: list[FloorMessage] = []
        self._reading: set[int] = set()  # marked read here, the backend not told yet
        # Signed out from the floor: the backend forgot the seat's state (offline); it
        # is told again after the next sign-in.
        self._rejoin = False
        # Told when the unread messages change (the strip redraws); and when a ticket
        # was handed to me (its id: follow-ups reload).
        self.on_change: list[Callable[[], None]] = []
        self.on_ticket: list[Callable[[int], None]] = []

    def follow(self, stream: EventStream) -> None:
        stream.on("floor_message", self.arrived)
        stream.on("seat_state_forced", self.state_forced)
        stream.on("signed_out", self.signed_out)
        stream.on("ticket_reassigned", self.reassigned)

    @property
    def current(self) -> FloorMessage | None:
        return self.unread[0] if self.unread else None

    def _changed(self) -> None:
        for listener in list(self.on_change):
            listener()

    def _keep(self, messages: list[FloorMessage]) -> bool:
        known = {m.id for m in self.unread} | self._reading
        new = [m for m in messages if m.id > 0 and m.id not in known and m.read_at is None]
        if new:
            self.unread = sorted([*self.unread, *new], key=lambda m: m.id)
        return bool(new)

    # -- the backend's events ------------------------------------------------------------
    def arrived(self, data: dict[str, Any]) -> None:
        if self._keep([FloorMessage.from_json(data)]):
            self._changed()

    def state_forced(self, data: dict[str, Any]) -> None:
        state = data.get("state")
        if not isinstance(state, str):
            return
        apply_forced_state(self.core, state, _text(data, "reason"))
        self.tell(state_sentence(data), title=_("From the floor"), severity="warning", timeout=15)

    def signed_out(self, data: dict[str, Any]) -> None:
        self._rejoin = True
        self.core.sign_out()  # the status bar under the lock: signed out, no timer
        self.lock(sign_out_sentence(data))

    def reassigned(self, data: dict[str, Any]) -> None:
        self.tell(reassigned_sentence(data), title=_("From the floor"), timeout=15)
        ticket = data.get("ticket_id")
        if isinstance(ticket, int) and not isinstance(ticket, bool):
            for listener in list(self.on_ticket):
                listener(ticket)

    # -- loading and reading ---------------------------------------------------------------
    def load(self) -> None:
        """After a sign-in: fetch the unread messages (some came while away) and, after
        a sign-out from the floor, tell the backend the seat's state again."""
        if self._rejoin:
            self._rejoin = False
            self.core.signed_in()
            state = self.core.state
            self.core.on_report(Change(state.state, state.reason, self.core.call.call_id))
        self.spawn(self._load(), group="floor-load", exclusive=True)

    async def _load(self) -> None:
        try:
            messages = await self.client.unread_messages()
        except (BackendUnavailable, BackendError) as exc:
            log.info("floor messages not loaded: %s", exc)
            return
        if self._keep(messages):
            self._changed()

    def mark_read(self) -> bool:
        """The agent read the message on the strip: it goes at once (the next one
        shows), the backend is told in the background. False: nothing to mark."""
        message = self.current
        if message is None:
            return False
        self.unread.pop(0)
        self._reading.add(message.id)
        self._changed()
        self.spawn(self._send_read(message), group="floor-read")
        return True

    async def _send_read(self, message: FloorMessage) -> None:
        try:
            await self.client.read_message(message.id)
        except BackendUnavailable:
            # Not told: it shows again, to be marked read when the backend is back.
            self._reading.discard(message.id)
            self._keep([message])
            self._changed()
            self.tell(
                _("Backend unreachable: the message stays until it can be marked read."),
                severity="warning",
            )
        except BackendError as exc:  # gone, or not mine after all: nothing to keep
            log.info("floor message %s not marked read: %s", message.id, exc)
        self._reading.discard(message.id)
