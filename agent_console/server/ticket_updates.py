"""Moving a ticket along the loop, the one way: the PATCH route and the simulated field
station (server/station_sim.py) both come through here, so the station rules, the audit
trail and the `ticket_updated` event are the same whoever makes the move."""

from __future__ import annotations

from typing import Any

from agent_console.server.clock import now_iso
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import EventBus, for_agent
from agent_console.server.storage import Storage
from agent_console.server.ticket_access import check_change, is_reopen

# Published to the agent who owns the ticket (its creator), whose follow-ups and open
# ticket redraw; the payload says what moved, the console fetches the ticket itself.
TICKET_UPDATED = "ticket_updated"


def station_ticket(agent: dict[str, Any], storage: Storage, ticket_id: int) -> dict[str, Any]:
    """A ticket a field-station user may see: one dispatched to their station."""
    ticket = storage.get_ticket(ticket_id, "production")
    if ticket is None or not agent.get("station") or ticket["station_id"] != agent["station"]:
        raise ApiError(404, "not_found", f"no ticket {ticket_id} for your station")
    return ticket


def update_ticket(
    storage: Storage, bus: EventBus, agent: dict[str, Any], ticket_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply `changes` as `agent` (403/404 for a ticket not theirs to change, 409 on a
    move the loop or the station rules refuse), then tell the ticket's owner. `changes`
    is already validated and normalised."""
    current = storage.find_ticket(ticket_id)
    if current is None:
        raise ApiError(404, "not_found", f"no ticket {ticket_id}")
    check_change(agent, current, changes)  # who may change it (server/ticket_access.py)
    reopen = is_reopen(agent, current, changes)
    ticket = storage.update_ticket(ticket_id, changes, agent["id"], current["area"], reopen)
    publish_update(bus, ticket, agent, str(changes.get("note") or ""))
    return ticket


def publish_update(bus: EventBus, ticket: dict[str, Any], by: dict[str, Any], note: str) -> None:
    bus.publish(
        TICKET_UPDATED,
        {
            "ticket_id": ticket["id"],
            "status": ticket["status"],
            "station_id": ticket["station_id"],
            "by": str(by["id"]),
            "by_role": str(by["role"]),
            "note": note.strip(),
            "at": now_iso(),
        },
        for_agent(str(ticket["created_by"])),
    )
    # A callback made (or its time moved) changes the wallboard's overdue callbacks.
    bus.changed([str(ticket["created_by"])], ["overdue_callbacks"])
