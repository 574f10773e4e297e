"""The seat-exit handler and the terminal driver's guards, without a terminal: what a
signal does before the app's loop and in it, the watchdog that ends a stuck console
(with an injected exit), and output to a terminal that has gone away."""

from __future__ import annotations

import asyncio
import errno
import io
import signal
import threading
import time

import pytest

from agent_console.seat_exit import SeatExit, exit_code
from agent_console.terminal_driver import SeatDriver, TerminalOut


class Exits:
    """Stands in for os._exit: records the code instead of ending the test run."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.done = threading.Event()

    def __call__(self, code: int) -> None:
        self.codes.append(code)
        self.done.set()


def test_before_the_loop_a_signal_raises_system_exit_and_the_watchdog_forces() -> None:
    exits = Exits()
    seat = SeatExit(grace=0.2, hard_exit=exits)
    told: list[str] = []
    seat.on_signal(lambda: told.append("terminate backend"))
    seat.on_force(lambda: told.append("kill backend"))
    seat.start_watchdog()
    started = time.monotonic()
    with pytest.raises(SystemExit) as raised:
        seat.handle(signal.SIGTERM, None)
    assert raised.value.code == exit_code(signal.SIGTERM) == 143
    assert told == ["terminate backend"]  # at once, beside the normal exit
    assert exits.done.wait(5)  # nobody exited normally: the watchdog does
    assert time.monotonic() - started >= 0.2
    assert exits.codes == [143] and told == ["terminate backend", "kill backend"]


def test_a_second_signal_ends_it_at_once() -> None:
    exits = Exits()
    seat = SeatExit(grace=30, hard_exit=exits)
    seat.start_watchdog()
    with pytest.raises(SystemExit):
        seat.handle(signal.SIGHUP, None)
    seat.handle(signal.SIGTERM, None)  # no second SystemExit: the first is on its way
    assert exits.done.wait(5)
    assert exits.codes == [exit_code(signal.SIGHUP)]


def test_a_held_block_is_not_cut_half_way() -> None:
    seat = SeatExit(grace=30, hard_exit=Exits())
    reached_end = False
    with pytest.raises(SystemExit), seat.held():
        seat.handle(signal.SIGINT, None)  # e.g. while the backend's Popen runs
        reached_end = True
    assert reached_end


async def test_in_the_loop_a_signal_asks_the_app_to_leave_without_raising() -> None:
    seat = SeatExit(grace=30, hard_exit=Exits())
    asked = asyncio.Event()
    codes: list[int] = []

    def leave(signum: int) -> None:
        codes.append(signum)
        asked.set()

    seat.attach(leave)
    seat.handle(signal.SIGHUP, None)  # returns: no exception lands in a worker
    await asyncio.wait_for(asked.wait(), 5)
    assert codes == [signal.SIGHUP]
    seat.detach()


class DeadTerminal(io.StringIO):
    def __init__(self, error: int) -> None:
        super().__init__()
        self.error = error
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        raise OSError(self.error, "terminal")


def test_output_to_a_terminal_that_went_away_is_dropped_not_fatal() -> None:
    dead = DeadTerminal(errno.EIO)
    out = TerminalOut(dead)  # type: ignore[arg-type]
    assert out.write("\x1b[?1049l") == 8  # no exception: the writer thread lives on
    assert out.gone
    out.write("more")
    out.flush()
    assert dead.writes == 1  # nothing more is tried once it is gone


def test_other_write_errors_are_not_hidden() -> None:
    out = TerminalOut(DeadTerminal(errno.ENOSPC))  # type: ignore[arg-type]
    with pytest.raises(OSError):
        out.write("x")


async def test_a_sigcont_without_a_suspension_does_not_restart_application_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kernel sends SIGCONT with the SIGHUP of a closed terminal; Textual took it as
    'back from Ctrl+Z' and started a second writer thread on the dead terminal."""
    restarts: list[str] = []
    previous = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    try:
        driver = SeatDriver(app=object())  # type: ignore[arg-type]
        monkeypatch.setattr(driver, "resume_application_mode", lambda: restarts.append("resume"))
        monkeypatch.setattr(driver, "suspend_application_mode", lambda: None)
        monkeypatch.setattr("os.kill", lambda *_: None)  # no real SIGSTOP
        driver._sigcont_application()
        assert restarts == []
        driver._sigtstp_application()  # a real suspension (Ctrl+Z) ...
        driver._sigcont_application()  # ... and its resume
        assert restarts == ["resume"]
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
