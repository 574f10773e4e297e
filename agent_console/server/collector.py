"""The cyclic garbage collector of a server process, set once it is built.

Under `bench centre` (SQLite, 1,000 seats, 45 s) the server ran a full collection every
5-7 s, each walking every object the process had made, the start-up's ~70,000
(FastAPI, pydantic, the routes) included: 120-250 ms each, with the event loop stopped.
Requests queued behind each pause and drained for a second or more: the lookups' p95
was 200-1,000 ms while the server used 60-70 % of a core. So:

- the objects that exist once the app is built are frozen: they live as long as the
  process, and a full collection no longer walks them (in one process with the app
  built and 75,000 other objects: 52 -> 3.5 ms);
- a full collection waits for 100 collections of the middle generation instead of 10
  (at 1,000 seats: about one a minute instead of one every 6 s). Cycles that outlive
  the young generations are freed a little later; nothing is kept longer than that.

With both, in the same bench runs: lookups p95 40-69 ms against 204-1,002 ms.
"""

from __future__ import annotations

import gc

#: Middle-generation collections between two full ones (Python's default: 10).
FULL_EVERY = 100


def settle() -> None:
    """Freeze what exists and space out full collections. Call once, after the app is
    built and before it serves. No collection first: right after the app is built it
    found nothing to free and took 37-46 ms of the start (the demo waits for it)."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)
