"""`serve --workers N`: one listening socket, N server processes accepting on it.

The parent binds the socket once (or takes `--fd`), brings the database to the
current schema (and loads demo data) once, then starts N `agent_console.server.
runner` processes on that socket. It writes `--ready-file` only when every worker
listens, restarts a worker that dies unexpectedly (logged, with a backoff when one
keeps dying at start), and on SIGTERM/SIGINT (or, with `--parent-watch`, when its own
stdin closes) stops the workers and exits once they have gone.

No orphans: each worker watches a pipe from the parent (its stdin, `--parent-watch`);
the kernel closes that pipe when the parent ends in any way, SIGKILL included.

Only PostgreSQL runs several workers: everything they share (events, idempotency
keys, agent state, raised hands, the sign-in throttle) lives in the database. SQLite
is the one-process engine (its event bus is in memory), so N > 1 is refused there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent_console.server.storage import is_postgres_url

log = logging.getLogger("agent_console.server.workers")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class WorkersRefused(ValueError):
    """`--workers` asked of an engine or with an option that cannot run several."""


def check_workers(
    db: str, workers: int, calls_every: float = 0.0, station_every: float = 0.0
) -> None:
    """Raise WorkersRefused with a one-line reason when `workers` cannot be served."""
    if workers < 1:
        raise WorkersRefused(f"--workers must be 1 or more (got {workers})")
    if workers == 1:
        return
    if not is_postgres_url(db):
        raise WorkersRefused(
            f"--workers {workers} needs PostgreSQL: SQLite is the one-process engine "
            "(its event bus does not cross processes); use --workers 1 or a postgresql:// --db"
        )
    if calls_every > 0:
        raise WorkersRefused("--calls-every (the demo's call simulator) runs with --workers 1 only")
    if station_every > 0:
        raise WorkersRefused(
            "--simulated-station (the demo's field stations) runs with --workers 1 only"
        )


class WorkerHeader:
    """ASGI middleware: every response says which worker served it (`X-Worker:
    index:pid`), so an operator (and the cross-worker tests) can tell them apart."""

    def __init__(self, app: Callable[..., Awaitable[None]], value: str) -> None:
        self.app = app
        self.header = (b"x-worker", value.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, send_tagged)


def inherited_socket(fd: int) -> socket.socket:
    """The listening socket the parent bound, with its real family (AF_INET/AF_INET6)."""
    return socket.socket(fileno=fd)


def listening_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


@dataclass
class _Slot:
    index: int
    process: subprocess.Popen[bytes]
    started: float
    quick_deaths: int = 0
    restart_at: float = 0.0


class Supervisor:
    """Starts, watches, restarts and stops the worker processes."""

    QUICK = 5.0  # a worker that dies sooner than this after starting backs off

    def __init__(self, workers: int, worker_args: list[str], sock: socket.socket) -> None:
        self.workers = workers
        self.worker_args = worker_args
        self.sock = sock
        self.stop = threading.Event()
        self.slots: list[_Slot] = []
        self._ready_dir = Path(tempfile.mkdtemp(prefix="agent-console-workers-"))

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        fd = self.sock.fileno()
        ready = self._ready_dir / f"worker-{index}"
        ready.unlink(missing_ok=True)
        args = [
            sys.executable, "-m", "agent_console.server.runner", *self.worker_args,
            "--fd", str(fd), "--parent-watch", "--worker-index", str(index),
            "--ready-file", str(ready),
        ]  # fmt: skip
        # stdin is the pipe the worker watches: it closes when this process ends.
        return subprocess.Popen(args, stdin=subprocess.PIPE, pass_fds=(fd,))

    def run(self, ready_file: str | None, start_timeout: float = 120.0) -> int:
        """Serve until told to stop; the exit status of the whole server."""
        self.sock.set_inheritable(True)
        now = time.monotonic()
        self.slots = [_Slot(i, self._spawn(i), now) for i in range(self.workers)]
        try:
            if not self._wait_ready(start_timeout):
                return 1
            if ready_file:
                host, port = self.sock.getsockname()[:2]
                tmp = Path(ready_file + ".tmp")
                tmp.write_text(f"{host} {port}\n")
                os.replace(tmp, ready_file)
            log.info("%d workers serving on %s", self.workers, self.sock.getsockname())
            while not self.stop.wait(0.2):
                self._restart_dead()
            return 0
        finally:
            self._stop_all()

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            for slot in self.slots:
                code = slot.process.poll()
                if code is not None:
                    print(
                        f"agent-console: worker {slot.index} exited while starting "
                        f"(exit status {code})",
                        file=sys.stderr,
                    )
                    return False
            if all((self._ready_dir / f"worker-{s.index}").exists() for s in self.slots):
                return True
            if time.monotonic() > deadline:
                print(f"agent-console: workers not up within {timeout:g} s", file=sys.stderr)
                return False
            time.sleep(0.05)
        return False

    def _restart_dead(self) -> None:
        now = time.monotonic()
        for slot in self.slots:
            code = slot.process.poll()
            if code is None or self.stop.is_set():
                continue
            if slot.restart_at == 0.0:
                lived = now - slot.started
                slot.quick_deaths = slot.quick_deaths + 1 if lived < self.QUICK else 0
                delay = min(0.5 * 2 ** (slot.quick_deaths - 1), 10.0) if slot.quick_deaths else 0
                slot.restart_at = now + delay
                log.warning(
                    "worker %d (pid %d) exited unexpectedly (status %s) after %.1f s; "
                    "restarting it in %.1f s",
                    slot.index, slot.process.pid, code, lived, delay,
                )  # fmt: skip
            if now >= slot.restart_at:
                slot.process = self._spawn(slot.index)
                slot.started, slot.restart_at = now, 0.0
                log.warning("worker %d restarted (pid %d)", slot.index, slot.process.pid)

    def _stop_all(self, grace: float = 10.0) -> None:
        """SIGTERM every worker (uvicorn ends its streams and requests), then wait;
        SIGKILL whoever is still there after `grace` seconds."""
        live = [s.process for s in self.slots if s.process.poll() is None]
        for proc in live:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in live:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for path in self._ready_dir.glob("*"):
            path.unlink(missing_ok=True)
        self._ready_dir.rmdir()


def supervise(
    workers: int,
    worker_args: list[str],
    host: str,
    port: int,
    fd: int | None,
    ready_file: str | None,
    parent_watch: bool,
) -> int:
    """The parent process of `serve --workers N` (N > 1); returns the exit status."""
    sock = inherited_socket(fd) if fd is not None else listening_socket(host, port)
    supervisor = Supervisor(workers, worker_args, sock)

    def on_signal(signum: int, frame: object) -> None:
        supervisor.stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if parent_watch:

        def watch() -> None:
            # os.read, not sys.stdin.buffer: a daemon thread blocked in the buffered
            # reader holds its lock and aborts the interpreter's shutdown.
            try:
                while os.read(sys.stdin.fileno(), 4096):
                    pass
            except (OSError, ValueError):
                pass
            supervisor.stop.set()

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    return supervisor.run(ready_file)
