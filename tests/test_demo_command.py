"""`agent-console demo` in a real terminal: the backend starts, the console signs in as
agent 1001, and the backend never outlives the console however the console ends."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console.backend_process import pid_alive


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not seen; got {self.output[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break

    def drain(self, timeout: float = 1.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                self.output += os.read(self.master, 65536)
            except OSError:
                return

    def wait_exit(self, timeout: float) -> int:
        """The exit code, reading the terminal meanwhile: a console that paints on its
        way out blocks on a full pty if nobody reads it."""
        deadline = time.monotonic() + timeout
        while (code := self.proc.poll()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s: {self.output[-2000:]!r}")
            self.drain(0.1)
        return code

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def server_pid(self) -> int:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def demo(tmp_path: Path, isolated_user_dirs: Path) -> Iterator[Terminal]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    args = [sys.executable, "-m", "agent_console", "demo", "--db", str(tmp_path / "demo.db")]
    term = Terminal(args, env)
    yield term
    term.close()


def first_error(output: bytes) -> str:
    """The console's own error report from the start: an exit dump can hold several
    tracebacks and the first is the cause (the last one alone misled a diagnosis)."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode(errors="replace"))
    start = min((i for i in (text.find("Traceback"), text.find("╭─")) if i >= 0), default=0)
    return text[start : start + 8000]


def wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid) or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return True
        time.sleep(0.05)
    return False


def test_demo_signs_in_and_quitting_stops_the_backend(demo: Terminal) -> None:
    demo.read_until("李静".encode())
    server = demo.server_pid()
    demo.send(b"\x11")  # ctrl+q
    code = demo.wait_exit(15)
    if code:
        demo.drain()  # what it said on the way out, for the failure message
    assert code == 0, first_error(demo.output)
    assert wait_gone(server)


def test_demo_as_a_trainee_is_practice_on_the_demos_own_backend(
    tmp_path: Path, isolated_user_dirs: Path
) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    args = [sys.executable, "-m", "agent_console", "demo", "--db", str(tmp_path / "demo.db")]
    term = Terminal([*args, "--agent", "2001"], env)
    try:
        term.read_until(b"calls practised so far")  # the practice menu, on the demo backend
        term.drain(0.5)
        assert b"Start `agent-console practice`" not in term.output
        term.send(b"\x11")  # ctrl+q
        assert term.wait_exit(15) == 0, first_error(term.output)
    finally:
        term.close()


def test_demo_prints_a_working_cti_url(demo: Terminal) -> None:
    """The demo's phone-system door: the URL it prints (with the token it made) takes a
    CTI event; the same URL with another token is a 404; it is kept in a file too."""
    import httpx

    demo.read_until("李静".encode())
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", demo.output.decode(errors="replace"))
    match = re.search(r"CTI \(phone system\) URL: (http://\S+/api/v1/cti/)([\w-]+)", text)
    assert match, text[:2000]
    url, token = match.groups()
    event = {"event": "newCall", "from": "13900000009", "callId": "demo-1", "user[]": "801"}
    r = httpx.post(url + token, data=event, timeout=15)
    assert (r.status_code, r.json()) == (200, {})
    assert httpx.post(url + token[:-1], data=event, timeout=15).status_code == 404
    # The console covers the printed line: the URL is kept in a file only the user
    # reads, while the demo runs (its token dies with the demo).
    kept = re.search(r"\(kept in (\S+) while the demo runs\)", text)
    assert kept, text[:2000]
    url_file = Path(kept.group(1))
    assert url_file.read_text().strip() == url + token
    assert url_file.stat().st_mode & 0o777 == 0o600
    # The call rings at agent 801's console: quitting asks first ("quit anyway?"), unless
    # the ring came after the Ctrl+Q. Either way the demo ends and takes the file along.
    demo.send(b"\x11")  # ctrl+q
    demo.read_until(b"quit anyway", 15)  # (returns at once if the console has exited)
    if demo.proc.poll() is None:
        demo.send(b"y")
    assert demo.wait_exit(15) == 0, first_error(demo.output)
    assert not url_file.exists()


@pytest.mark.parametrize(
    "sig",
    [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
    ids=["sigint", "sigterm", "sigkill-no-handler-runs"],
)
def test_the_backend_never_outlives_the_console(demo: Terminal, sig: signal.Signals) -> None:
    """SIGKILL is the crash nothing can catch: the backend still sees its stdin close."""
    demo.read_until("李静".encode())
    server = demo.server_pid()
    demo.proc.send_signal(sig)
    demo.proc.wait(15)
    assert wait_gone(server)


def test_the_inherited_socket_is_tcp_so_responses_are_not_held_by_nagle() -> None:
    # uvicorn's fd= treats the descriptor as a UNIX socket, and asyncio then never sets
    # TCP_NODELAY: every response waited ~40 ms for a delayed ACK (bench lookup).
    import os
    import socket

    from agent_console.server.runner import free_listening_socket
    from agent_console.server.workers import inherited_socket

    parent = free_listening_socket()
    child = inherited_socket(os.dup(parent.fileno()))
    try:
        assert child.family == socket.AF_INET
        assert child.type == socket.SOCK_STREAM
        assert child.getsockname() == parent.getsockname()
    finally:
        child.close()
        parent.close()
