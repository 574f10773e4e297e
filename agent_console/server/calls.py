"""Placing a call to an agent: record it, tell the agent's console (screen-pop).

A real phone system rings agents through the CTI endpoint (server/cti.py). Without
one, calls are simulated: by the `POST /api/v1/calls/simulate` endpoint (tests,
supervisors, the demo agent) and by `CallSimulator`, the demo's phone system, which
sends the CTI events a PBX would. All of them ring through call_flow.ring.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from typing import Any

from agent_console.server.call_flow import ring
from agent_console.server.cti import CtiEvent, handle
from agent_console.server.event_bus import EventBus, for_agent
from agent_console.server.storage import Storage

log = logging.getLogger("agent_console.server.calls")

_MOBILE_PREFIXES = ("139", "138", "137", "150", "151", "158", "186", "189", "133", "177")


def place_call(
    storage: Storage,
    bus: EventBus,
    agent_id: str,
    number: str,
    caller_id: int | None,
    source: str = "simulated",
) -> dict[str, Any]:
    """Ring one agent with a simulated call, the way a PBX's newCall rings (the same
    call_flow.ring): recorded, and `incoming_call` published to the agent's consoles.

    The event carries the full number (the agent's phone shows it anyway, and the
    new-caller form needs it), its masked form for display, and the caller it
    belongs to when the number is known.
    """
    ref = f"sim-{secrets.token_hex(8)}"
    call, _ = ring(
        storage, bus, number, [agent_id], caller_id=caller_id, call_ref=ref, source=source
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
    """The demo's phone system: every `every` seconds, while the agent's console
    listens and the agent has no call, a CTI newCall rings them (the same events a PBX
    sends to POST /cti/{token}); a call nobody answers within `ring_timeout` seconds is
    hung up (cause `cancel`): a missed call (`agent-console demo --calls-every 30`)."""

    def __init__(
        self,
        storage: Storage,
        bus: EventBus,
        agent_id: str,
        every: float,
        unknown_share: float = 0.2,
        seed: int | None = None,
        ring_timeout: float = 20.0,
    ) -> None:
        self.storage, self.bus, self.agent_id = storage, bus, agent_id
        self.every = every
        self.ring_timeout = ring_timeout
        self.unknown_share = unknown_share
        self.rng = random.Random(seed)
        self._ringing: dict[str, float] = {}  # callId -> when it gives up
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="call-simulator", daemon=True)

    def start(self) -> CallSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            self._end_leftovers()
        except Exception:
            log.exception("could not end the simulator's earlier calls")
        next_call = time.monotonic() + self.every
        while not self._stop.wait(min(0.25, self.every)):
            try:
                self._give_up_unanswered()
                if time.monotonic() >= next_call:
                    next_call = time.monotonic() + self.every
                    self._ring()
            except Exception:  # a demo aid must never take the server down
                log.exception("simulated call failed")

    def _end_leftovers(self) -> None:
        """Simulated calls an earlier run left ringing at (or answered by) the agent: no
        simulator will hang them up any more, and while one lasts the agent is busy and
        never rung again (a demo restarted after a crash stayed silent for good)."""
        for _ in range(1000):  # bounded: each pass ends one call
            call = self.storage.active_call_for(self.agent_id)
            if call is None or not str(call["call_ref"]).startswith("sim-"):
                return
            cause = "cancel" if call["state"] == "ringing" else "normalClearing"
            event = CtiEvent("hangup", str(call["call_ref"]), call["number"], "", "in", cause=cause)
            handle(self.storage, self.bus, event, source="simulated")
            log.info("ended simulated call %s left by an earlier run", call["call_ref"])

    def _ring(self) -> None:
        if not self.bus.listening(for_agent(self.agent_id)):
            return  # nobody to ring: the console is not connected
        if self.storage.active_call_for(self.agent_id) is not None:
            return  # busy: a real queue would not ring this agent either
        number, _ = pick_caller(self.storage, self.rng, self.unknown_share)
        agent = self.storage.get_agent(self.agent_id) or {}
        ref = f"sim-{secrets.token_hex(8)}"
        event = CtiEvent(
            "newCall", ref, number, str(agent.get("hotline", "")), "in", (self.agent_id,), "demo"
        )
        handle(self.storage, self.bus, event, source="simulated")
        self._ringing[ref] = time.monotonic() + self.ring_timeout

    def _give_up_unanswered(self) -> None:
        now = time.monotonic()
        for ref, deadline in list(self._ringing.items()):
            call = self.storage.call_by_ref(ref)
            if call is None or call["state"] != "ringing":
                del self._ringing[ref]
            elif now >= deadline:
                del self._ringing[ref]
                event = CtiEvent("hangup", ref, call["number"], "", "in", cause="cancel")
                handle(self.storage, self.bus, event, source="simulated")
