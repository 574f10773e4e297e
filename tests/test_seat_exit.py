"""A seat that goes away leaves nothing behind: `agent-console demo` in a terminal of
its own, ended at several moments of its start-up by closing that terminal (what an
SSH link that drops or a closed window does: the kernel sends SIGHUP, then SIGCONT,
and the terminal answers every read and write with EIO), by SIGTERM and by SIGINT.
Within 2 s of that, neither the console nor its demo backend may be left, and the
next start on the same seat must work at once.

Before the fix, closing the terminal right after the first paint left the console
hung for good (Textual's writer thread dead, its queue full, the main thread blocked
on it), SIGTERM ignored, and the backend beside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shlex
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: The issue's promise: from the signal to no process left.
DEADLINE = 2.0
#: Start-up itself may take long on a loaded machine; only the exit is timed.
START_TIMEOUT = 60.0


def _take_terminal() -> None:
    """In the child, after setsid: the pty becomes its controlling terminal, so closing
    the other end hangs it up (SIGHUP + SIGCONT) as a real terminal would."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Seat:
    """The console in a pty of its own; `home` is the seat's user dirs (XDG)."""

    def __init__(self, home: Path, db: Path, parent_shell: bool = False) -> None:
        self.home = home
        self.db = db
        self.log = home / "state" / "agent-console" / "log" / "console.log"
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.set_blocking(self.master, False)
        env = {**os.environ, "TERM": "xterm-256color"}
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
        ):
            env[var] = str(home / sub)
        args = [sys.executable, "-m", "agent_console", "demo", "--db", str(db)]
        if parent_shell:  # as the README's `make demo` runs it: make is the session
            # leader, takes the hang-up's SIGHUP and waits for the console
            makefile = home.parent / "seat.mk"
            makefile.write_text("demo:\n\t" + " ".join(shlex.quote(a) for a in args) + "\n")
            args = ["make", "-s", "-f", str(makefile), "demo"]
        self.proc = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self.output = b""
        self.closed = False

    # -- watching ----------------------------------------------------------------
    def read(self) -> None:
        if self.closed:
            return
        ready, _, _ = select.select([self.master], [], [], 0.02)
        if ready:
            with contextlib.suppress(OSError):
                self.output += os.read(self.master, 65536)

    def wait_for(self, what: str, seen: Callable[[], bool]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not seen():
            assert self.proc.poll() is None, f"the console ended before {what}: {self.tail()}"
            assert time.monotonic() < deadline, f"no {what} within {START_TIMEOUT} s"
            self.read()

    def logged(self, text: str) -> bool:
        return self.log.exists() and text in self.log.read_text(errors="replace")

    def tail(self) -> str:
        return self.output[-1500:].decode(errors="replace")

    def backends(self, what: bytes = b"agent_console.server.runner") -> list[int]:
        """The demo backend (and its workers), found by the seat's own database path;
        with `what=b"demo"`, the console itself (its argument list holds "demo")."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            ours = what in cmd and str(self.db).encode() in cmd
            if ours and state != "Z":
                found.append(int(entry.name))
        return found

    # -- ending ------------------------------------------------------------------
    def close_terminal(self) -> None:
        os.close(self.master)
        self.closed = True

    def left_after(self, timeout: float) -> list[str]:
        """What is still running `timeout` seconds from now (polled: returns early)."""
        deadline = time.monotonic() + timeout
        while True:
            left = [] if self.proc.poll() is not None else [f"console {self.proc.pid}"]
            left += [f"console {pid}" for pid in self.backends(b"demo") if pid != self.proc.pid]
            left += [f"backend {pid}" for pid in self.backends()]
            if not left or time.monotonic() > deadline:
                return left
            self.read()
            time.sleep(0.02)

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in self.backends(b"demo") + self.backends():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if not self.closed:
            os.close(self.master)


@pytest.fixture
def seat(tmp_path: Path, demo_db_template: Path) -> Iterator[Callable[..., Seat]]:
    """Start the demo on one seat (same dirs and database each time it is called)."""
    db = tmp_path / "demo.db"
    db.write_bytes(demo_db_template.read_bytes())  # demo data made once per run
    started: list[Seat] = []

    def start(parent_shell: bool = False) -> Seat:
        started.append(Seat(tmp_path / "home", db, parent_shell))
        return started[-1]

    yield start
    for s in started:
        s.cleanup()


#: Moments of start-up, each the state the console is seen in (never a fixed pause).
MOMENTS: dict[str, Callable[[Seat], bool]] = {
    # The backend is being started: the demo's first step after the handler is set.
    "backend-starting": lambda s: (s.log.parent / "demo-server.log").exists(),
    # Textual's first bytes (alternate screen), before the first paint.
    "first-byte": lambda s: b"\x1b[?1049h" in s.output,
    # The agent number on screen: the "within a second of painting".
    "painted": lambda s: b"1001" in s.output,
    # A hotkey screen is being mounted in the background.
    "mounting": lambda s: s.logged("mounting the kb screen in the background"),
    # Every screen mounted, the console waiting for keys.
    "idle": lambda s: s.logged("every hotkey screen is mounted"),
}

ENDINGS: dict[str, Callable[[Seat], None]] = {
    "terminal-closed": Seat.close_terminal,
    "sigterm": lambda s: s.proc.send_signal(signal.SIGTERM),
    "sigint": lambda s: s.proc.send_signal(signal.SIGINT),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_seat_that_goes_away_leaves_no_process(
    seat: Callable[[], Seat], moment: str, ending: str
) -> None:
    console = seat()
    console.wait_for(moment, lambda: MOMENTS[moment](console))
    ENDINGS[ending](console)
    ended = time.monotonic()
    left = console.left_after(DEADLINE)
    took = time.monotonic() - ended
    assert not left, f"{left} still running {took:.1f} s after {ending} at {moment}"


def test_the_next_start_on_the_seat_works_at_once(seat: Callable[[], Seat]) -> None:
    first = seat()
    first.wait_for("a screen mounting", lambda: MOMENTS["mounting"](first))
    first.close_terminal()
    assert not first.left_after(DEADLINE)
    outbox = first.home / "data" / "agent-console" / "outbox.sqlite"
    if outbox.exists():
        with sqlite3.connect(outbox) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    second = seat()
    second.wait_for("the agent number", lambda: b"1001" in second.output)
    second.output = b""
    second.wait_for("every screen mounted", lambda: MOMENTS["idle"](second))
    os.write(second.master, b"\x11")  # Ctrl+Q: idle, so it quits at once
    assert second.proc.wait(15) == 0, second.tail()
    assert not second.left_after(DEADLINE)


def test_a_closed_terminal_ends_the_console_under_a_parent_that_outlives_it(
    seat: Callable[..., Seat],
) -> None:
    """`make demo`: make is the session leader, takes the hang-up's SIGHUP and waits for
    the console, so no SIGHUP reaches it; it must notice its terminal is gone (it read
    end-of-file in a busy loop, a whole core, for as long as nobody killed it)."""
    console = seat(parent_shell=True)
    console.wait_for("the agent's screen", lambda: MOMENTS["idle"](console))
    console.close_terminal()
    left = console.left_after(DEADLINE + 1.0)  # the watch looks twice a second
    assert not left, f"{left} still running after the terminal closed under a parent"
