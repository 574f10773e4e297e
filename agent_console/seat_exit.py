"""A seat that goes away leaves nothing behind.

SIGHUP (the terminal closed: an SSH link dropped, a window closed), SIGTERM and SIGINT
end the console within a bounded time at any moment of its life, from the first byte
to the last. One handler serves the whole process, installed before anything slow:

- before the app's loop runs, it raises SystemExit, so `with`/`finally` blocks run
  (the demo's backend is stopped);
- while the loop runs, it asks the app to exit from the loop (an exception raised by a
  handler could land inside any worker, which would die instead of the app exiting);
- either way what was registered to start ending at once is told (the demo's
  backend gets SIGTERM, so it shuts down beside the console, not after it);
- and a watchdog thread, started at install and woken through a pipe (no lock
  is taken in the handler), ends the process after `grace` seconds if the normal way
  has not: a main thread stuck in a blocking call never returns to the loop, and an
  asyncio signal handler would then never run. Before it does, it runs the clean-ups
  registered (the demo's backend killed, the terminal put back).

A second signal ends the process at once. No Textual import: tested without a terminal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop

#: The signals that mean "this seat is going away".
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)
#: Time the normal exit gets before the watchdog ends the process. The promise is 2 s
#: from the signal to no process left; the watchdog's own clean-up takes the rest.
GRACE = 1.0


def exit_code(signum: int) -> int:
    """The shell's convention: 128 + the signal's number."""
    return 128 + signum


class SeatExit:
    """The process's one handler for SIGHUP, SIGTERM and SIGINT (see the module doc)."""

    def __init__(
        self,
        *,
        grace: float = GRACE,
        hard_exit: Callable[[int], object] = os._exit,
        log_path: Path | None = None,
    ) -> None:
        self.grace = grace
        self.signum: int | None = None
        self._hard_exit = hard_exit
        self._log_path = log_path
        self._in_loop: tuple[AbstractEventLoop, Callable[[int], None]] | None = None
        self._cleanups: list[Callable[[], None]] = []
        self._on_signal: list[Callable[[], None]] = []
        self._held = 0  # inside held(): SystemExit waits for the block's end
        self._exit_pending = False
        self._wake_r, self._wake_w = os.pipe()
        self._watchdog = threading.Thread(target=self._watch, name="seat-exit", daemon=True)

    # -- set-up ------------------------------------------------------------------
    def install(self) -> SeatExit:
        """Take SIGHUP, SIGTERM and SIGINT for the rest of the process's life."""
        self.start_watchdog()
        for signum in SIGNALS:
            signal.signal(signum, self.handle)
        return self

    def start_watchdog(self) -> None:
        self._watchdog.start()

    def on_force(self, cleanup: Callable[[], None]) -> Callable[[], None]:
        """Run `cleanup` (quick, no locks) if the watchdog has to end the process."""
        self._cleanups.append(cleanup)
        return cleanup

    def on_signal(self, call: Callable[[], None]) -> None:
        """Run `call` in the handler itself, at the first signal: something that can
        start ending at once, beside the console's own exit (the demo's backend). It
        must be async-signal-safe in Python's sense: no lock the main thread may hold."""
        self._on_signal.append(call)

    def attach(self, request_exit: Callable[[int], None]) -> None:
        """From now on a signal calls `request_exit(signum)` in the running loop (call
        this from inside the loop) instead of raising SystemExit."""
        import asyncio

        self._in_loop = (asyncio.get_running_loop(), request_exit)

    def detach(self) -> None:
        """The loop has ended: a signal raises SystemExit again."""
        self._in_loop = None

    @contextlib.contextmanager
    def held(self) -> Generator[None, None, None]:
        """A signal inside the block raises its SystemExit only at the block's end, so
        the block is never cut half-way (a child process started but not yet known)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._exit_pending and self.signum is not None:
                self._exit_pending = False
                raise SystemExit(exit_code(self.signum))

    # -- the signal --------------------------------------------------------------
    def handle(self, signum: int, _frame: object) -> None:
        """The signal handler (Python runs it in the main thread, between bytecodes)."""
        first = self.signum is None
        self.signum = signum if first else self.signum
        os.write(self._wake_w, b"1" if first else b"2")  # async-signal-safe, no lock
        if not first:
            return  # the watchdog ends it now; the first signal's exit is under way
        for call in self._on_signal:
            with contextlib.suppress(Exception):
                call()
        target = self._in_loop
        if target is not None and not target[0].is_closed():
            loop, request_exit = target
            loop.call_soon_threadsafe(request_exit, signum)
            return
        if self._held:
            self._exit_pending = True
            return
        raise SystemExit(exit_code(signum))

    def _watch(self) -> None:
        """The watchdog: wait for a signal, then give the normal exit `grace` seconds."""
        why = "a second signal"
        if os.read(self._wake_r, 1) == b"1":
            deadline = time.monotonic() + self.grace
            if self._wait_readable(deadline):
                os.read(self._wake_r, 1)  # a second signal: no more waiting
            else:
                why = f"not ended within {self.grace:g} s"
        self._force(why)

    def _wait_readable(self, deadline: float) -> bool:
        import select

        left = max(0.0, deadline - time.monotonic())
        readable, _, _ = select.select([self._wake_r], [], [], left)
        return bool(readable)

    def _force(self, why: str) -> None:
        signum = self.signum or signal.SIGTERM
        for cleanup in list(self._cleanups):
            with contextlib.suppress(Exception):
                cleanup()
        self._note(f"{signal.Signals(signum).name}: {why}, forced")
        self._hard_exit(exit_code(signum))

    def _note(self, line: str) -> None:
        """One line in the console's log without the logging module's locks (the main
        thread may hold them, stuck)."""
        if self._log_path is None:
            return
        with contextlib.suppress(OSError):
            fd = os.open(self._log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                stamp = time.strftime("%Y-%m-%d %H:%M:%S")
                os.write(fd, f"{stamp} WARNING agent_console.seat_exit {line}\n".encode())
            finally:
                os.close(fd)


#: The process's instance, once `install()` has been called (cli.main).
current: SeatExit | None = None


def held() -> contextlib.AbstractContextManager[None]:
    """SeatExit.held() of the process's instance; nothing to hold when none is installed."""
    return current.held() if current is not None else contextlib.nullcontext()


def install(log_path: Path | None = None) -> SeatExit:
    global current
    if current is None:
        current = SeatExit(log_path=log_path).install()
    return current
