"""Screen-pop: the backend's event stream, kept open in a worker, and what events do.

An `incoming_call` starts the call timer and opens the caller card by itself, or
the new-caller form when the number is unknown. A `ticket_updated` (one of my tickets
moved, e.g. a field station took it in hand) is told to every screen showing tickets
through the `ticket_moved` signal. Other features react to their own events by adding
a handler: `app.event_stream.handlers["practice_hint"] = ...`.
The stream's state is shown in the status bar; the logic of reading and
reconnecting lives in agent_console/events.py, without Textual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen
from textual.signal import Signal
from textual.worker import Worker

from agent_console.client import BackendError, BackendUnavailable, Unauthorized
from agent_console.events import Backoff, EventConsumer, ServerEvent
from agent_console.i18n import _
from agent_console.models import Caller

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.events")


class EventStream:
    def __init__(self, console: AgentConsole) -> None:
        self.console = console
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "incoming_call": self.incoming_call,
            "ticket_updated": self.ticket_updated,
        }
        # The id of a ticket of mine that changed: follow-ups and ticket detail reload.
        self.ticket_moved: Signal[int] = Signal(console, "ticket_moved")
        self.worker: Worker[None] | None = None
        self.consumer: EventConsumer | None = None

    def start(self) -> None:
        """(Re)open the stream for the signed-in agent; a running one is replaced."""
        settings = self.console.settings.events
        if not settings.enabled:
            return
        client = self.console.client
        self.consumer = EventConsumer(
            _Source(client, settings.silence_timeout),
            self.dispatch,
            self.state_changed,
            Backoff(cap=settings.reconnect_max),
            is_auth_error=lambda exc: isinstance(exc, Unauthorized),
        )
        self.worker = self.console.run_worker(
            self.consumer.run(), group="event-stream", exclusive=True, exit_on_error=False
        )

    def state_changed(self, state: str, retry_in: float | None) -> None:
        log.info("event stream %s%s", state, f" (retry in {retry_in:.1f} s)" if retry_in else "")
        self.console.session.events = state
        self.console.publish_status()

    def dispatch(self, event: ServerEvent) -> None:
        handler = self.handlers.get(event.type)
        if handler is not None:
            handler(event.data)

    def ticket_updated(self, data: dict[str, Any]) -> None:
        ticket_id = data.get("ticket_id")
        if isinstance(ticket_id, int) and not isinstance(ticket_id, bool):
            log.info("ticket %s now %s (by %s)", ticket_id, data.get("status"), data.get("by"))
            self.ticket_moved.publish(ticket_id)

    # -- incoming calls ------------------------------------------------------------
    def incoming_call(self, data: dict[str, Any]) -> None:
        # A locked seat shows no caller: the pop waits for the agent to sign in again.
        if self.console.lock.hold(lambda: self.incoming_call(data)):
            return
        # A wrap-up still owed for the last call comes first (screens/seat.py).
        if self.console.seat.intercept(data, self.incoming_call):
            return
        number = str(data.get("number") or "")
        call_id = data.get("call_id")
        caller_id = data.get("caller_id")
        log.info("incoming call %s from %s (caller %s)", call_id, number, caller_id)
        self.console.session.call.begin(number, call_id if isinstance(call_id, int) else None)
        self.console.seat.call_started()
        self.console.publish_status()
        shown = str(data.get("number_masked") or number)
        self.console.notify(
            _("Incoming call from {number}").format(number=shown), title="☎", markup=False
        )
        self.console.run_worker(
            self._pop(number, caller_id if isinstance(caller_id, int) else None),
            group="screen-pop",
            exclusive=True,
            exit_on_error=False,
        )

    async def _pop(self, number: str, caller_id: int | None) -> None:
        """Find the caller (by the id the backend resolved, else by the number) and
        show the card, or the new-caller form."""
        from screens.caller_card import CallerCardScreen
        from screens.lookup import LookupScreen
        from screens.new_caller import NewCallerScreen

        client = self.console.client
        caller: Caller | None = None
        try:
            if caller_id is not None:
                caller = await client.get_caller(caller_id)
            elif number:
                page = await client.find_callers(number, 5)
                exact = [c for c in page.items if c.match == "phone"]
                if len(exact) == 1:
                    caller = await client.get_caller(exact[0].id)
        except (BackendUnavailable, BackendError) as exc:
            # Not known whether the number is new: leave it in the lookup box to retry.
            self.console.notify(
                exc.message, title=_("Screen-pop"), severity="warning", markup=False
            )
            await self.console.action_open_screen("lookup")
            if isinstance(self.console.screen, LookupScreen):
                self.console.screen.query_box().value = number
            return
        target = CallerCardScreen(caller, loaded=True) if caller else NewCallerScreen(number)
        if isinstance(self.console.screen, ModalScreen):
            # A dialog is open (a flag comment, a checklist...): going back to lookup
            # would close it and lose what was typed. The card goes on top; Esc returns.
            await self.console.push_screen(target)
            return
        await self.console.action_open_screen("lookup")
        await self.console.push_screen(target)


class _Source:
    """The client's event stream with the configured silence timeout."""

    def __init__(self, client: Any, silence_timeout: float) -> None:
        self.client = client
        self.silence_timeout = silence_timeout

    def events(self, last_event_id: str = "") -> Any:
        return self.client.events(last_event_id, read_timeout=self.silence_timeout)
