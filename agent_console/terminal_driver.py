"""Textual's Linux driver, made safe for a terminal that goes away.

Closing the terminal (tmux kill-session, an SSH link that drops) sends SIGHUP and then
SIGCONT, and every later read or write on it fails with EIO. Textual 8's driver
(a) takes any SIGCONT as "resumed after Ctrl+Z" and starts application mode a second
time: a second writer thread, on the dying terminal; and (b) lets its writer thread die
on the first failed write, after which the bounded queue in front of it fills and the
next write blocks the main thread for good: the console hung, deaf to SIGTERM (the
asyncio signal handlers never run again), its demo backend beside it. Measured: 4 of 4
tmux kill-sessions within a second of the first paint.

Here: SIGCONT resumes only after a SIGTSTP suspended; output to a terminal that has
gone is dropped (the writer thread lives on, the queue never fills); input that fails
the same way is a hang-up, reported as SIGHUP so it takes the seat-exit path.

Input: ESC followed by a printable character is read as Alt+that character at once
(SeatParser); Textual read ESC+digit as a macOS Option character ("¡") and held ESC+王
until a time-out, losing "Esc then typing" (agent_console/key_edges.py says the rest).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import termios
import threading
from collections.abc import Iterable
from typing import IO, Any

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

#: Errors that mean the terminal itself is gone (not a bug in what was written).
GONE = (errno.EIO, errno.ENXIO, errno.EBADF, errno.EPIPE)


class TerminalOut:
    """The terminal as Textual's writer thread sees it: once a write fails because the
    terminal is gone, everything after is dropped instead of killing the thread."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            self._guard(self._file.write, text)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            self._guard(self._file.flush)

    def _guard(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except OSError as exc:
            if exc.errno not in GONE:
                raise
            self.gone = True

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


class SeatParser(XTermParser):
    """Textual's input parser, but ESC + a printable character is Alt+character, read
    at once. The escape sequences that name keys (ESC ESC, ESC b/f, ESC DEL, ESC Tab)
    keep their meaning; CSI and SS3 sequences (ESC [, ESC O) are untouched."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if (
            len(sequence) == 2
            and sequence[0] == "\x1b"
            and sequence[1] not in "[O\x1b"
            and sequence[1].isprintable()
            and not isinstance(ANSI_SEQUENCES_KEYS.get(sequence), tuple)
        ):
            return super()._sequence_to_key_events(sequence[1], alt=True)
        return super()._sequence_to_key_events(sequence, alt)


#: LinuxDriver.run_input_thread builds its parser by this module-level name (Textual 8;
#: pinned below 9): the seat's driver reads keys with SeatParser.
setattr(linux_driver, "XTermParser", SeatParser)  # noqa: B010


# The pyright ignores below: Textual's LinuxDriver leaves these hooks' parameters untyped.
class SeatDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._suspended = False  # set by SIGTSTP, before the base class hooks SIGCONT
        self._restore_registered = False
        super().__init__(*args, **kwargs)  # pyright: ignore[reportUnknownMemberType]
        self._file = TerminalOut(self._file)  # type: ignore[assignment]

    def _sigtstp_application(self, *args: Any) -> None:
        self._suspended = True
        super()._sigtstp_application(*args)  # pyright: ignore[reportUnknownMemberType]

    def _sigcont_application(self, *args: Any) -> None:
        """A SIGCONT that follows no suspension (the kernel sends one with SIGHUP when
        the terminal closes) must not start application mode a second time."""
        if self._suspended:
            self._suspended = False
            super()._sigcont_application(*args)  # pyright: ignore[reportUnknownMemberType]

    def start_application_mode(self) -> None:
        super().start_application_mode()
        from agent_console import seat_exit

        seat = seat_exit.current
        if seat is not None and not self._restore_registered:
            self._restore_registered = True
            seat.on_force(self._restore_terminal)
            threading.Thread(
                target=self._watch_terminal, name="terminal-watch", daemon=True
            ).start()

    def _restore_terminal(self) -> None:
        """For the seat-exit watchdog, ending a console stuck after SIGTERM: the terminal
        left as it was found. Never blocks: a terminal that does not read is skipped."""
        if self.attrs_before is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fileno, termios.TCSANOW, self.attrs_before)
        with contextlib.suppress(OSError):
            fd = os.open(os.ttyname(self.fileno), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
            try:
                os.write(fd, b"\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1006l")
            finally:
                os.close(fd)

    def process_message(self, message: Message) -> None:
        """On the input thread, as each key is read: the App learns the agent is typing
        now, before the key's turn on the event loop (which may be behind a mount)."""
        if isinstance(message, events.Key):
            key_read = getattr(self._app, "key_read", None)
            if key_read is not None:
                key_read()
        super().process_message(message)

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        except OSError as exc:
            if exc.errno not in GONE:
                raise
            self._terminal_gone()

    def _terminal_gone(self) -> None:
        """The terminal is gone: the same as its hang-up, whether or not a SIGHUP
        reaches this process (it is not the session leader under a shell). Not a
        second signal when the hang-up's own SIGHUP came first (that one would end
        the console at once, skipping its normal exit)."""
        from agent_console import seat_exit

        if seat_exit.current is None or seat_exit.current.signum is None:
            with contextlib.suppress(OSError):
                os.kill(os.getpid(), signal.SIGHUP)

    def _watch_terminal(self) -> None:
        """Under `make demo` (or any parent that outlives a hang-up) the kernel's SIGHUP
        goes to the session leader only, which waits for this process: nothing ends it,
        and Textual's input thread reads end-of-file in a busy loop (seen: a whole core
        for 40 minutes). A hung-up terminal refuses its ioctls with EIO: checked twice
        a second, on a thread of its own (no cost to any key)."""
        while not self.exit_event.wait(0.5):
            try:
                termios.tcgetattr(self.fileno)
            except termios.error as exc:
                if exc.args and exc.args[0] in GONE:
                    self._terminal_gone()
                    return
