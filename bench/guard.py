"""A benchmark that is stopped still cleans up after itself.

A benchmark may start a PostgreSQL cluster (pg_ctl puts the postmaster in a session of
its own, so Ctrl+C at the terminal does not reach it) and servers. Its `finally` blocks
stop them, but SIGTERM and SIGHUP (a closed terminal or SSH link) end Python without
running any `finally`, and a reader that goes away (`| head`) raises BrokenPipeError at
the next print. `ending_cleanly()` turns those signals into SystemExit, so every
`finally` runs, and `stopped_at_exit()` stops a started cluster whatever ends the run.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Protocol


class Stoppable(Protocol):
    def stop(self) -> None: ...


def _exit_on(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def ending_cleanly() -> Iterator[None]:
    """SIGTERM/SIGHUP end the run through SystemExit (the `finally` blocks run); a closed
    output pipe ends it quietly once they have."""
    previous = {s: signal.signal(s, _exit_on) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    except BrokenPipeError:
        # Nobody reads any more: say nothing else (a second BrokenPipeError at exit).
        with contextlib.suppress(OSError):
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - lives until exit
        raise SystemExit(141) from None
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def stopped_at_exit(thing: Stoppable) -> Iterator[Stoppable]:
    """Stop `thing` when the block ends, by return, exception, Ctrl+C or a signal that
    `ending_cleanly` turned into SystemExit; a second Ctrl+C while it stops is ignored."""
    try:
        yield thing
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with contextlib.suppress(Exception):
                thing.stop()
        finally:
            signal.signal(signal.SIGINT, previous)
