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
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from agent_console import seat_exit

if TYPE_CHECKING:
    import ssl  # (imported for HTTPS only: ~12 ms before `demo` can launch its backend)

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
        """Start the backend and wait until it answers."""
        self.launch()
        try:
            self.wait_ready(timeout)
        except BaseException:  # a signal's SystemExit too: `with` would not stop it
            self.stop(grace=HURRY_GRACE, hurry=True)
            raise
        return self

    def launch(self) -> EmbeddedBackend:
        """Start the backend's process and return at once: it boots (~1-4 s, mostly
        FastAPI building its routes) while the caller does its own start-up; then
        wait_ready(). Its socket is already listening, so a request waits for it."""
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
        except BaseException:
            self.stop(grace=HURRY_GRACE, hurry=True)
            raise
        finally:
            if not isinstance(log, int):  # an opened file, not subprocess.DEVNULL
                log.close()
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Return once the backend answers its health check. The socket listens from
        launch() on, so the request waits in its queue and is answered the moment the
        server serves (no polling interval); each try is bounded to notice a crash."""
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BackendStartError(self._failure("the backend exited while starting"))
            try:
                status, _body = self._request("GET", "/api/v1/health", timeout=1)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.02)  # refused or reset: not listening yet, or going away
        self.stop()
        raise BackendStartError(self._failure(f"the backend did not answer within {timeout:g} s"))

    def _request(
        self, method: str, path: str, body: object = None, timeout: float = 10
    ) -> tuple[int, bytes]:
        """One request over the standard library's http.client: the demo's start-up
        does not wait for httpx to import (70-150 ms)."""
        import http.client
        import json

        conn: http.client.HTTPConnection
        if self.tls:
            import ssl

            context = self._verify()
            assert isinstance(context, ssl.SSLContext)
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=context
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def _failure(self, what: str) -> str:
        tail = ""
        if self.log_file and self.log_file.exists():
            tail = "\n" + "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
        return f"{what} (log: {self.log_file or 'none'}){tail}"

    def _verify(self) -> bool | ssl.SSLContext:
        import ssl

        return ssl.create_default_context(cafile=str(self.tls[2])) if self.tls else False

    def login(self, agent_id: str, password: str) -> str:
        return self.sign_in(agent_id, password)[0]

    def sign_in(self, agent_id: str, password: str) -> tuple[str, str]:
        """The token and the agent's role (the demo opens practice for a trainee)."""
        token, agent = self.sign_in_agent(agent_id, password)
        return token, str(agent.get("role", ""))

    def sign_in_agent(self, agent_id: str, password: str) -> tuple[str, dict[str, object]]:
        """The token and the agent as the backend describes it (raw JSON)."""
        import json

        status, raw = self._request(
            "POST", "/api/v1/auth/login", {"agent_id": agent_id, "password": password}
        )
        if status != 200:
            raise BackendStartError(f"signing in as {agent_id} failed: HTTP {status}")
        body = json.loads(raw)
        return str(body["token"]), dict(body["agent"])

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
        """Start it (or, launched already, only stop it on leaving)."""
        return self if self.process is not None else self.start()

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
