"""How a ringing call reaches the agent: the card by itself, or the strip and the bell.

An idle agent gets the caller card at once (or the new-caller form for an unknown
number), as a screen-pop always did. An agent who is typing (agent_console/seat/
pop_policy.py) keeps the screen and every key: the call strip says it rings, the
terminal bell sounds, and the call key (Ctrl+F2) takes it and opens its card. The
same key goes back to the current call's card from any screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.screen import ModalScreen
from textual.widgets import Input

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Caller
from agent_console.seat import ANNOUNCE, Ring

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.screens.seat import Seat

log = logging.getLogger("agent_console.events")


class CallPop:
    def __init__(self, console: AgentConsole, seat: Seat) -> None:
        self.console = console
        self.seat = seat
        self.core = seat.core
        self.looked_up: str = ""  # the call key whose caller lookup has finished
        self.failed = False  # ... and failed (not known whether the number is new)
        self.show_when_found = False  # the call key was pressed before the lookup ended

    # -- a call rings ------------------------------------------------------------------
    def ringing(self, ring: Ring) -> None:
        log.info("incoming call %s from %s (caller %s)", ring.call_id, ring.number, ring.caller_id)
        self.looked_up, self.failed, self.show_when_found = "", False, False
        shown = ring.number_masked or ring.number
        self.console.notify(
            _("Incoming call from {number}").format(number=shown), title="☎", markup=False
        )
        if self.seat.policy.decide(self.field_has_text()) == ANNOUNCE:
            self.announce()
        self.console.run_worker(
            self._find_then_pop(ring), group="screen-pop", exclusive=True, exit_on_error=False
        )

    def field_has_text(self) -> bool:
        """The cursor is in a field that holds text: the agent is in the middle of it."""
        from textual.widgets import TextArea  # (~10 ms: not before the first paint)

        focused = self.console.screen.focused
        if isinstance(focused, Input):
            return bool(focused.value)
        if isinstance(focused, TextArea):
            return bool(focused.text)
        return False

    def announce(self) -> None:
        if not self.core.announced:
            self.core.announced = True
            self.console.bell()
            self.console.publish_status()

    async def _find_then_pop(self, ring: Ring) -> None:
        key = self.core.call_key
        caller = await self._find(ring)
        if self.core.call_key != key or not self.core.call.active:
            return  # that call is gone (answered elsewhere, hung up) or another began
        self.looked_up = key
        if caller is not None:
            self.core.call.set_caller(caller)
            self.console.publish_status()
        if self.show_when_found:
            await self.show_card()
            return
        if self.core.announced or not self.core.ringing:
            return
        # The lookup took a moment: the agent may have begun typing meanwhile.
        if self.seat.policy.decide(self.field_has_text()) == ANNOUNCE:
            self.announce()
            return
        await self.show_card()
        if not ring.phone_system:  # no phone system will say it was answered: the pop does
            self.take()

    async def _find(self, ring: Ring) -> Caller | None:
        """The caller, by the id the backend resolved, else by the number."""
        client = self.console.client
        try:
            if ring.caller_id is not None:
                return await client.get_caller(ring.caller_id)
            if ring.number:
                page = await client.find_callers(ring.number, 5)
                exact = [c for c in page.items if c.match == "phone"]
                if len(exact) == 1:
                    return await client.get_caller(exact[0].id)
        except (BackendUnavailable, BackendError) as exc:
            self.failed = True
            self.console.notify(
                exc.message, title=_("Screen-pop"), severity="warning", markup=False
            )
        return None

    # -- the agent takes it / goes back to it -----------------------------------------------
    def call_key_pressed(self) -> None:
        """The call key: take a ringing call, and show the current call's card."""
        core = self.core
        if not core.call.active:
            self.console.notify(_("No call in progress."), markup=False)
            return
        if core.ringing:
            self.take()
        if self.looked_up != core.call_key:  # the caller is still being looked up
            self.show_when_found = True
            return
        self.console.run_worker(
            self.show_card(again=False), group="screen-pop", exit_on_error=False
        )

    def placed(self) -> None:
        """An outbound call began with its caller known: the call key shows its card."""
        self.looked_up, self.failed, self.show_when_found = self.core.call_key, False, False

    def take(self) -> None:
        call_id = self.core.call.call_id
        if self.core.take() and call_id is not None:
            self.console.run_worker(self._answer(call_id), group="call-answer", exit_on_error=False)

    async def _answer(self, call_id: int) -> None:
        """Tell the backend this console took the call (a server without the call
        routes answers 404: the call is answered here all the same)."""
        try:
            await self.console.client.answer_call(call_id)
        except BackendError as exc:
            if exc.status == 409:  # a colleague was quicker
                self.core.answered(call_id, "")
                self.console.notify(_("A colleague took the call."), title="☎", markup=False)
            else:
                log.info("answer call %s: %s %s", call_id, exc.status, exc.message)
        except BackendUnavailable as exc:
            log.info("answer call %s: %s", call_id, exc.message)

    async def show_card(self, again: bool = True) -> None:
        """The current call's card, or the new-caller form for a number nobody has, or
        (the lookup failed) the lookup with the number, to try again. `again=False`
        (the call key): a card of that caller already in front stays as it is."""
        from agent_console.screens.caller_card import CallerCardScreen
        from agent_console.screens.lookup import LookupScreen
        from agent_console.screens.new_caller import NewCallerScreen

        self.show_when_found = False
        call = self.core.call
        if not call.active:
            return
        screen = self.console.screen
        caller = call.caller
        shown = screen.caller.id if isinstance(screen, CallerCardScreen) else None
        if not again and caller is not None and shown == caller.id:
            return  # already there
        if caller is None and self.failed:
            await self.console.action_open_screen("lookup")
            if isinstance(self.console.screen, LookupScreen):
                self.console.screen.query_box().value = call.number
            return
        target = CallerCardScreen(caller, loaded=True) if caller else NewCallerScreen(call.number)
        if isinstance(screen, ModalScreen):
            # A dialog is open (a flag comment, a checklist...): going back to lookup
            # would close it and lose what was typed. The card goes on top; Esc returns.
            await self.console.push_screen(target)
            return
        await self.console.action_open_screen("lookup")
        await self.console.push_screen(target)
