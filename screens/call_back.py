"""Calling a caller back (follow-ups, the caller log): an outbound call on record and
the caller's card, so the call strip, the timer and the wrap-up work as for any call."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.events")


async def call_back(console: AgentConsole, caller_id: int, ticket_id: int | None = None) -> bool:
    """Start the outbound call to `caller_id` and show the card; False if it did not."""
    client = console.client
    try:
        caller = await client.get_caller(caller_id)
    except (BackendUnavailable, BackendError) as exc:
        console.notify(exc.message, title=_("Call back"), severity="warning", markup=False)
        return False
    call_id: int | None = None
    try:
        call_id = await client.outbound_call(caller_id, "callback", ticket_id)
    except BackendError as exc:
        if exc.status not in (404, 405):  # a backend without the call routes: local only
            console.notify(exc.message, title=_("Call back"), severity="warning", markup=False)
            return False
        log.info("outbound call to caller %s not recorded (%s)", caller_id, exc.status)
    except BackendUnavailable as exc:
        console.notify(
            _("The call is not on record: {why}").format(why=exc.message),
            title=_("Call back"),
            severity="warning",
            markup=False,
        )
    seat = console.seat
    if not seat.core.outbound(caller, call_id):
        console.notify(_("Finish the current call first (wrap-up)."), markup=False)
        return False
    seat.pop.placed()
    await seat.pop.show_card()
    return True
