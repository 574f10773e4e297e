"""Placing a call to an agent: record it, tell the agent's console (screen-pop).

The reference backend has no telephone switch, so calls are simulated: by the
`POST /api/v1/calls/simulate` endpoint (tests, supervisors, the demo agent) and by
`CallSimulator`, which rings the demo agent every N seconds. A CTI adapter would
call `place_call` with real numbers the same way.
"""

from __future__ import annotations

import logging
import random
import threading
from typing import Any

from agent_console.server.clock import now_iso
from agent_console.server.events import EventBus, for_agent
from agent_console.server.storage import Storage
from agent_console.text import mask_phone

log = logging.getLogger("agent_console.server.calls")

INCOMING_CALL = "incoming_call"
_MOBILE_PREFIXES = ("139", "138", "137", "150", "151", "158", "186", "189", "133", "177")


def place_call(
    storage: Storage,
    bus: EventBus,
    agent_id: str,
    number: str,
    caller_id: int | None,
    source: str = "simulated",
) -> dict[str, Any]:
    """Record the call and publish `incoming_call` to the agent's open consoles.

    The event carries the full number (the agent's phone shows it anyway, and the
    new-caller form needs it), its masked form for display, and the caller it
    belongs to when the number is known.
    """
    call = storage.record_call(agent_id, number, caller_id, source)
    agent = storage.get_agent(agent_id) or {}
    bus.publish(
        INCOMING_CALL,
        {
            "call_id": call["id"],
            "number": number,
            "number_masked": mask_phone(number),
            "caller_id": caller_id,
            "hotline": agent.get("hotline", ""),
            "at": now_iso(),
        },
        for_agent(agent_id),
    )
    return call


def unknown_number(storage: Storage, rng: random.Random) -> str:
    """A mobile number no caller has (a first-time caller)."""
    while True:
        number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if storage.caller_id_for_number(number) is None:
            return number


def pick_caller(
    storage: Storage, rng: random.Random, unknown_share: float
) -> tuple[str, int | None]:
    """The number and caller of the next simulated call: a known caller mostly, an
    unknown number now and then."""
    if rng.random() >= unknown_share:
        row = storage.caller_near(rng.random())
        if row is not None:
            return str(row["phone"]), int(row["id"])
    return unknown_number(storage, rng), None


class CallSimulator:
    """Rings one agent every `every` seconds while that agent's console listens
    (`agent-console demo --calls-every 30`)."""

    def __init__(
        self,
        storage: Storage,
        bus: EventBus,
        agent_id: str,
        every: float,
        unknown_share: float = 0.2,
        seed: int | None = None,
    ) -> None:
        self.storage, self.bus, self.agent_id = storage, bus, agent_id
        self.every = every
        self.unknown_share = unknown_share
        self.rng = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="call-simulator", daemon=True)

    def start(self) -> CallSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if not self.bus.listening(for_agent(self.agent_id)):
                continue  # nobody to ring: the console is not connected
            try:
                number, caller_id = pick_caller(self.storage, self.rng, self.unknown_share)
                place_call(self.storage, self.bus, self.agent_id, number, caller_id)
            except Exception:  # a demo aid must never take the server down
                log.exception("simulated call failed")
