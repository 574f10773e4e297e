"""Start-up: from exec to the first screen an agent can type into, in a real terminal.

Baseline in the same run: a bare Textual app that paints one line. The console is
measured twice: until the lookup box is painted (the agent can type; keys typed
earlier are buffered by the terminal), and until the status bar shows the agent's
number (after the token was checked with the backend).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import summary_ms, table

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""


def time_until(args: list[str], needle: bytes, env: dict[str, str], timeout: float = 30) -> float:
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    try:
        while needle not in out:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{needle!r} not seen: {out[-500:]!r}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                out += os.read(master, 65536)
        return time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def run(rounds: int = 7) -> str:
    from agent_console.backend_process import EmbeddedBackend

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    with tempfile.TemporaryDirectory() as tmp, EmbeddedBackend(Path(tmp) / "demo.db") as backend:
        token = backend.login("1001", "demo")
        env.update(
            AGENT_CONSOLE_BACKEND=backend.url,
            AGENT_CONSOLE_TOKEN=token,
            XDG_CONFIG_HOME=tmp,
            XDG_DATA_HOME=tmp,
        )
        bare, typing, signed = [], [], []
        console = [sys.executable, "-m", "agent_console"]
        for _ in range(rounds):
            bare.append(time_until([sys.executable, "-c", BARE_APP], b"BARE-READY", env))
            typing.append(time_until(console, b"last 4 digits", env))
            signed.append(time_until(console, b"1001", env))
    b, t, s = summary_ms(bare), summary_ms(typing), summary_ms(signed)
    rows = [
        ["bare Textual app, first paint", b["p50"], b["p95"], 1.0],
        ["agent-console, lookup box painted", t["p50"], t["p95"], t["p50"] / b["p50"]],
        ["agent-console, agent shown (after /auth/me)", s["p50"], s["p95"], s["p50"] / b["p50"]],
    ]
    return table(["start-up (exec to screen)", "p50 ms", "p95 ms", "x bare (p50)"], rows)


if __name__ == "__main__":
    print(run())
