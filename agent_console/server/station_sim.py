"""A simulated field station for the demo: it works the tickets dispatched to a station.

The reference backend has no field staff, so in `agent-console demo` nothing would move a
dispatched ticket. `StationSimulator` plays every station that has a staff account: about
`every` seconds after a ticket reaches its station it takes it in hand (in progress),
about `every` seconds later it reports it resolved, each time with a short progress note
(demo_data/station_notes.toml). It acts as the station's account through the same path
as `PATCH /tickets/{id}` (server/ticket_updates.py): the station rules apply, the audit
trail names the station user, and the ticket's owner gets the same `ticket_updated` event.

Only production tickets: a station never sees the practice area (trainees' tickets), and
no practice scenario waits for a station's answer.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent_console.server.demo import read_demo
from agent_console.server.event_bus import EventBus
from agent_console.server.storage import Storage
from agent_console.server.ticket_flow import STATION_MOVES
from agent_console.server.ticket_updates import update_ticket

log = logging.getLogger("agent_console.server.station_sim")

# Each step takes `every` seconds give or take a third (30 -> 20-40 s): not a metronome.
SPREAD = 1 / 3
# The station's next move from each status it works (dispatched -> in progress -> resolved).
NEXT = {status: moves[0] for status, moves in STATION_MOVES.items()}
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class Note:
    category: str
    status: str
    zh: str
    en: str


def load_notes() -> tuple[Note, ...]:
    return tuple(Note(**row) for row in read_demo("station_notes.toml").get("note", []))


def pick_note(
    notes: tuple[Note, ...], category: str, status: str, rng: random.Random, said: str = ""
) -> Note:
    """One of the notes for the longest category prefix that covers `category`; one not
    `said` on the ticket already when there is one (a ticket worked twice reads as such)."""

    def covers(note: Note) -> bool:
        return (
            not note.category
            or category == note.category
            or (category.startswith(note.category + "."))
        )

    fitting = [n for n in notes if n.status == status and covers(n)]
    longest = max(len(n.category) for n in fitting)
    closest = [n for n in fitting if len(n.category) == longest]
    fresh = [n for n in closest if n.zh not in said and n.en not in said]
    return rng.choice(fresh or closest)


class StationSimulator:
    """Moves dispatched tickets along as their station's staff would
    (`agent-console demo --station-every 30`, `serve --simulated-station`)."""

    def __init__(
        self,
        storage: Storage,
        bus: EventBus,
        every: float,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.storage, self.bus = storage, bus
        self.every = every
        self.rng = random.Random(seed)
        self.clock = clock
        self.notes = load_notes()
        # (ticket id, status) -> when the station makes its next move on it.
        self.due: dict[tuple[int, str], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="station-simulator", daemon=True)

    @property
    def poll(self) -> float:
        """How often the queues are read: often enough to keep to `every`, at most 2 s."""
        return max(0.05, min(2.0, self.every / 10))

    def start(self) -> StationSimulator:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread (the server is shutting down; nothing left behind)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                self.tick()
            except Exception:  # a demo aid must never take the server down
                log.exception("simulated station failed")

    def tick(self) -> int:
        """Make every move that is due; returns how many were made."""
        now = self.clock()
        seen: set[tuple[int, str]] = set()
        moved = 0
        staff: dict[str, dict[str, Any]] = {}
        for account in self.storage.station_accounts():
            staff.setdefault(str(account["station"]), account)  # the first acts for it
        for account in staff.values():
            for status in NEXT:
                queue = self.storage.station_tickets(account["station"], status, QUEUE_LIMIT)
                for ticket in queue:
                    key = (int(ticket["id"]), status)
                    seen.add(key)
                    when = self.due.setdefault(key, now + self._delay())
                    if now >= when and not self._stop.is_set():
                        moved += self._move(account, ticket, NEXT[status])
        for key in set(self.due) - seen:
            del self.due[key]  # moved on (by us or the agent), closed, or sent elsewhere
        return moved

    def _delay(self) -> float:
        return self.every * self.rng.uniform(1 - SPREAD, 1 + SPREAD)

    def _move(self, account: dict[str, Any], ticket: dict[str, Any], target: str) -> int:
        said = str(ticket.get("notes") or "")
        note = pick_note(self.notes, str(ticket["category"]), target, self.rng, said)
        text = note.en if self._language(ticket, account) == "en" else note.zh
        try:
            update_ticket(
                self.storage, self.bus, account, int(ticket["id"]), {"status": target, "note": text}
            )
        except Exception as exc:  # e.g. the agent moved it meanwhile (409): next time
            log.info("simulated station %s left ticket %s: %s", account["id"], ticket["id"], exc)
            return 0
        log.info("simulated station %s: ticket %s -> %s", account["id"], ticket["id"], target)
        return 1

    def _language(self, ticket: dict[str, Any], account: dict[str, Any]) -> str:
        """Notes in the language of the agent who owns the ticket (the one who reads
        them: the English desk gets English), else the station user's."""
        owner = self.storage.get_agent(str(ticket["created_by"])) or {}
        return str(owner.get("language") or account.get("language") or "zh")
