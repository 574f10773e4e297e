"""The reference backend as a child process, for `agent-console demo` (and tests).

The console never imports the server: it starts `python -m agent_console.server.runner`
on a socket it bound itself (no port race), and the child exits when the console
does, whichever way the console ends (its stdin pipe closes even on SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from agent_console import seat_exit

#: How long a backend told to stop in a hurry (SIGTERM) gets before SIGKILL.
HURRY_GRACE = 0.5


class BackendStartError(RuntimeError):
    pass


class EmbeddedBackend:
    def __init__(
        self,
        db: Path | str,
        *,
        demo_data: bool = True,
        log_file: Path | None = None,
        extra_args: list[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: tuple[Path, Path, Path] | None = None,
    ) -> None:
        """`tls`: (certificate, key, CA bundle that verifies it) to serve HTTPS."""
        self.db = db
        self.demo_data = demo_data
        self.log_file = log_file
        self.extra_args = extra_args or []
        self.host = host
        self.port = port
        self.tls = tls
        self.process: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> EmbeddedBackend:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(256)
        sock.set_inheritable(True)
        self._sock = sock
        self.port = sock.getsockname()[1]
        args = [
            sys.executable,
            "-m",
            "agent_console.server.runner",
            "--db",
            str(self.db),
            "--fd",
            str(sock.fileno()),
            "--parent-watch",
            *(["--demo-data"] if self.demo_data else []),
            *self.extra_args,
            *(["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])] if self.tls else []),
        ]
        log = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        try:
            # A signal while the child is being started takes effect once it is known
            # (self.process), so the clean-up below can stop it.
            with seat_exit.held():
                self.process = subprocess.Popen(
                    args,
                    stdin=subprocess.PIPE,
                    stdout=log,
                    stderr=log,
                    pass_fds=(sock.fileno(),),
                    start_new_session=True,
                )
            self._wait_ready(timeout)
        except BaseException:  # a signal's SystemExit too: `with` would not stop it
            self.stop(grace=HURRY_GRACE, hurry=True)
            raise
        finally:
            if not isinstance(log, int):  # an opened file, not subprocess.DEVNULL
                log.close()
        return self

    def _wait_ready(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BackendStartError(self._failure("the backend exited while starting"))
            try:
                health = httpx.get(f"{self.url}/api/v1/health", timeout=1, verify=self._verify())
                if health.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise BackendStartError(self._failure(f"the backend did not answer within {timeout:g} s"))

    def _failure(self, what: str) -> str:
        tail = ""
        if self.log_file and self.log_file.exists():
            tail = "\n" + "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
        return f"{what} (log: {self.log_file or 'none'}){tail}"

    def _verify(self) -> bool | ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.tls[2])) if self.tls else False

    def login(self, agent_id: str, password: str) -> str:
        return self.sign_in(agent_id, password)[0]

    def sign_in(self, agent_id: str, password: str) -> tuple[str, str]:
        """The token and the agent's role (the demo opens practice for a trainee)."""
        import httpx

        r = httpx.post(
            f"{self.url}/api/v1/auth/login",
            json={"agent_id": agent_id, "password": password},
            timeout=10,
            verify=self._verify(),
        )
        r.raise_for_status()
        body = r.json()
        return str(body["token"]), str(body["agent"]["role"])

    def stop(self, grace: float = 5.0, *, hurry: bool = False) -> None:
        """Stop the backend: its stdin closed (it shuts down), and with `hurry` (the
        console ends on a signal) SIGTERM at once too; SIGKILL after `grace` seconds."""
        proc, self.process = self.process, None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if proc is None or proc.poll() is not None:
            return
        if proc.stdin:
            proc.stdin.close()  # the child's parent-watch sees EOF and shuts down
        if hurry:
            proc.terminate()  # also before its parent-watch runs (demo data being made)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            if hurry:
                _kill_group(proc.pid)
                proc.wait()
                return
            proc.terminate()
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait()

    def terminate_now(self) -> None:
        """SIGTERM the backend, no waiting and no lock (from a signal handler): it shuts
        down while the console does."""
        proc = self.process
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL the backend and its workers now, no waiting, no lock: the seat-exit
        watchdog calls it from its own thread when the normal exit is stuck."""
        proc = self.process
        if proc is not None:
            _kill_group(proc.pid)

    def __enter__(self) -> EmbeddedBackend:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop(grace=HURRY_GRACE if exc_type is not None else 5.0, hurry=exc_type is not None)


def _kill_group(pid: int) -> None:
    """The backend leads its own session (start_new_session): its workers go with it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
