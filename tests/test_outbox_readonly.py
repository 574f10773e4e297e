"""Issue 20, item 4: the data folder goes read-only under a running console's sender
(its lock file cannot be created: PermissionError). The sender says so, keeps the
ticket, and sends it by itself once the folder is writable again.

Run as `nobody` (root ignores permissions), through the system Python with this
tree and the venv's packages on its path (the venv's interpreter lives under /root,
which `nobody` cannot enter). The ticket is counted in the real backend's database.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("readonly_sender_child.py")


def unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return [sys.executable]  # already unprivileged: permissions apply
    if shutil.which("runuser") is None or not Path("/usr/bin/python3").exists():
        pytest.skip("needs runuser and a system python3 to drop root")
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
    path = f"{ROOT}:{site}" if site else str(ROOT)
    return ["runuser", "-u", "nobody", "--", "env", f"PYTHONPATH={path}", "/usr/bin/python3"]


def count(backend: EmbeddedBackend, summary: str) -> int:
    db = sqlite3.connect(str(backend.db))
    try:
        row = db.execute("SELECT count(*) FROM tickets WHERE summary = ?", (summary,)).fetchone()
        return int(row[0])
    finally:
        db.close()


def read_until(proc: subprocess.Popen[str], wanted: str, seen: list[str]) -> str:
    assert proc.stdout is not None
    while (line := proc.stdout.readline()) != "":
        seen.append(line.strip())
        if line.startswith(wanted):
            return line.strip()
    raise AssertionError(f"child ended before {wanted!r}: {seen} {proc.stderr.read()}")  # type: ignore[union-attr]


def test_a_read_only_folder_is_said_and_sending_resumes_by_itself(
    fresh_server: EmbeddedBackend,
) -> None:
    url, token = fresh_server.url, login(fresh_server.url)
    summary = f"read-only folder {uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="outbox-ro-"))
    # The seat's own folder, as the agent has it: theirs, 0700 (the console keeps its
    # folders private, and tightens one it owns); then read-only, then writable again.
    agent = pwd.getpwnam("nobody")
    os.chown(folder, agent.pw_uid, agent.pw_gid)
    folder.chmod(0o700)
    seen: list[str] = []
    proc = subprocess.Popen(
        [*unprivileged(), str(CHILD), str(folder / "outbox.sqlite"), url, token, summary],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
    )
    try:
        read_until(proc, "kept", seen)
        folder.chmod(0o500)
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        problem = read_until(proc, "problem ", seen)
        assert "PermissionError" in problem and ".lock" in problem
        assert count(fresh_server, summary) == 0  # waiting, and the agent is told why
        folder.chmod(0o700)  # the cause goes away
        read_until(proc, "finished", seen)
        assert "problem None" in seen  # it said it works again
        assert proc.wait(timeout=30) == 0
    finally:
        folder.chmod(0o700)
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
    assert count(fresh_server, summary) == 1
