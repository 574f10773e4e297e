"""Calling a caller back (follow-ups, the caller log): an outbound call on record and
the caller's card, so the call strip, the timer and the wrap-up work as for any call.

The backend records every callback attempt (POST /calls/outbound, reason "callback");
a missed call from a number nobody knows is called back by that call's id and opens
the new-caller form with the number. When the agent ends the call (F10) the console
asks whether it reached the caller and says so (POST /calls/{id}/result).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.content import Content

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Caller
from agent_console.seat import CallResult, HangUp
from agent_console.text import mask_phone

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.models import OutboundCall

log = logging.getLogger("agent_console.events")


def _warn(console: AgentConsole, message: str) -> None:
    console.notify(message, title=_("Call back"), severity="warning", markup=False)


async def call_back(
    console: AgentConsole,
    caller_id: int | None,
    ticket_id: int | None = None,
    *,
    missed_call_id: int | None = None,
) -> bool:
    """Start the outbound call to `caller_id` (or to the number of the missed call
    `missed_call_id`) and show the card; False if it did not start."""
    if console.seat.core.call.active:
        console.notify(_("Finish the current call first (wrap-up)."), markup=False)
        return False
    client = console.client
    record: OutboundCall | None = None
    try:
        record = await client.outbound_call(
            caller_id, "callback", ticket_id, missed_call_id=missed_call_id
        )
    except BackendError as exc:
        # A backend without the call routes (404/405): a known caller is called all
        # the same, without a record; the number of a missed call comes only from it.
        if exc.status not in (404, 405) or caller_id is None:
            _warn(console, exc.message)
            return False
        log.info("outbound call to caller %s not recorded (%s)", caller_id, exc.status)
    except BackendUnavailable as exc:
        if caller_id is None:
            _warn(console, exc.message)
            return False
        _warn(console, _("The call is not on record: {why}").format(why=exc.message))
    known = record.caller_id if record is not None else caller_id
    caller: Caller | None = None
    if known is not None:
        try:
            caller = await client.get_caller(known)
        except (BackendUnavailable, BackendError) as exc:
            _warn(console, exc.message)
            if record is None:
                return False  # neither a card nor a number to show
    seat = console.seat
    call_id = record.id if record is not None else None
    number = record.number if record is not None else ""
    masked = mask_phone(number) if caller is None else ""
    if not seat.core.outbound(caller, call_id, number, masked):
        console.notify(_("Finish the current call first (wrap-up)."), markup=False)
        return False
    seat.pop.placed()  # the card, or the new-caller form for a number nobody has ...
    # ... or, when the known caller's card could not be read, the lookup with the number
    seat.pop.failed = caller is None and known is not None
    await seat.pop.show_card()
    return True


def ask_reached(console: AgentConsole, call_id: int | None) -> None:
    """The agent ended a callback: did it reach the caller? The answer goes on record
    (not reached ends the call there); then the call is hung up there as any other."""
    if call_id is None:
        return  # the backend has no record of the call: nothing to say it on
    from agent_console.screens.confirm import ConfirmScreen

    call = console.seat.core.call
    who = call.caller.name if call.caller else call.caller_name or _("unknown caller")
    line = Content(f"{who} · {call.shown_number()}")

    def answered(reached: bool | None) -> None:
        # In order with the state changes, kept while the backend is away (seat/reporter).
        service = console.seat.service
        service.report(CallResult(call_id, bool(reached)))
        if reached:  # a callback that did not reach anyone is over already
            service.report(HangUp(call_id))

    question = ConfirmScreen(
        _("Did the callback reach the caller?"),
        [line],
        "",
        yes=_("reached"),
        no=_("not reached"),
    )
    question.answer_required = True  # a screen key would lose the answer and the hang-up
    console.push_screen(question, answered)
