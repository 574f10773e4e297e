"""The ring time-out: a call the phone system offered (newCall) that was neither answered
nor hung up within `--ring-timeout-s` ends as a missed call, as if the PBX had sent
`hangup` with cause `noAnswer`. A PBX can lose the hangup (a dropped link, a crash);
without this the call would ring at its agents' consoles for good, keep them busy for
the call simulator and count as waiting on the wallboard.

Every server process (each of `--workers N`) sweeps once a second; the call is ended by
one conditional UPDATE (storage end_call with `ringing_since`), so exactly one process
ends it and its agents get one `call_ended`, the same event a hangup gives.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from agent_console.server.call_flow import give_up_ringing
from agent_console.server.clock import iso, now
from agent_console.server.event_bus import EventBus
from agent_console.server.storage import Storage

log = logging.getLogger("agent_console.server.ring_timeout")

DEFAULT_S = 120.0
#: A sweep looks this far behind the last one's limit too: a call whose start was
#: stamped just before a sweep but written just after it is still found.
SLACK = timedelta(minutes=10)
_PAGE = 200


class RingTimeout:
    """Ends calls that ring longer than `timeout_s` (see the module docstring)."""

    def __init__(
        self, storage: Storage, bus: EventBus, timeout_s: float, every: float = 1.0
    ) -> None:
        self.storage, self.bus = storage, bus
        self.timeout = timedelta(seconds=timeout_s)
        self.every = every
        self._since = ""  # the first sweep reads every call (a server down for a day)
        self._failing = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ring-timeout", daemon=True)

    def start(self) -> RingTimeout:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.sweep()
            except Exception as exc:  # the database away: the next sweep tries again
                if not self._failing:
                    log.warning("ring time-out sweep failed (%s); trying again", exc)
                self._failing = True
            else:
                self._failing = False

    def sweep(self, at: datetime | None = None) -> list[int]:
        """End the calls ringing since before `at` (default: the server's clock) minus
        the time-out; the ids of those this process ended."""
        moment = now() if at is None else at
        limit = iso(moment - self.timeout)
        ended: list[int] = []
        for _ in range(50):  # each page leaves ringing (ended here or elsewhere)
            ids = self.storage.ringing_between(self._since, limit, _PAGE)
            for call_id in ids:
                row = give_up_ringing(self.storage, self.bus, call_id, limit, iso(moment))
                if row is not None:
                    ended.append(call_id)
                    log.warning(
                        "call %s (callId %r) rang %ss with no answer and no hangup from the "
                        "phone system: ended unanswered (noAnswer)",
                        call_id,
                        row["call_ref"],
                        int(self.timeout.total_seconds()),
                    )
            if len(ids) < _PAGE:
                break
        self._since = iso(moment - self.timeout - SLACK)
        return ended
