"""The console killed at every moment after Ctrl+S: each ticket reaches the backend
exactly once, and no draft is left holding a key already spent (issue 20, item 2).

The console's save path runs in a child process (tests/save_crash_child.py: the very
DraftStore, hand_over, save and Outbox the ticket form uses, without the terminal: a
full console per kill would be too heavy for a dozen moments) against the real backend,
up, SIGKILLed, or frozen with SIGSTOP. The child is SIGKILLed at a named moment (by
itself, deterministically) or a few milliseconds after Ctrl+S (by the test). Then the
next console on the seat does what it does at sign-in: puts the dead console's
hand-overs in the outbox, restores the draft (saving it, as the agent would, if one is
left), and sends the outbox. The tickets are counted in the backend's database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.outbox import Outbox
from agent_console.outbox_delivery import OutboxSender, RetryPolicy
from agent_console.ticket_draft import DraftStore, Owner, check_key, recover_handed_over
from agent_console.ticket_saving import SaveJob, hand_over, save
from tests.conftest import login

CHILD = Path(__file__).with_name("save_crash_child.py")

# (where the child dies, the backend meanwhile)
NAMED = [
    ("typed", "up"),  # before Ctrl+S: the draft is all there is
    ("ctrl+s", "up"),
    ("handed-over", "up"),  # hand-over written, draft not yet deleted
    ("draft-deleted", "up"),
    ("sending", "up"),
    ("created", "up"),  # the backend made it; the console never noted that
    ("before-hand-over-done", "up"),
    ("sending", "down"),
    ("kept", "down"),  # in the outbox; hand-over not yet deleted
    ("before-hand-over-done", "down"),
]
TIMED = [0.0, 0.005, 0.02, 0.05, 0.1]  # seconds after Ctrl+S, the test kills the child


def crash(backend: EmbeddedBackend) -> None:
    assert backend.process is not None
    backend.process.kill()
    backend.process.wait()
    backend.stop()


def count(backend: EmbeddedBackend, summary: str) -> int:
    db = sqlite3.connect(str(backend.db))
    try:
        row = db.execute("SELECT count(*) FROM tickets WHERE summary = ?", (summary,)).fetchone()
        return int(row[0])
    finally:
        db.close()


def run_child(seat: Path, url: str, token: str, summary: str, kill_at: str) -> list[str]:
    env = {**os.environ, "KILL_AT": kill_at}
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(seat), url, token, summary, str(uuid.uuid4())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return proc.stdout.split("\n")


def run_child_killed_after(
    seat: Path, url: str, token: str, summary: str, delay: float
) -> list[str]:
    """Start the child, and SIGKILL it `delay` s after it printed "ctrl+s" (or when done)."""
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(seat), url, token, summary, str(uuid.uuid4())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    while (line := proc.stdout.readline()) != "":
        lines.append(line.strip())
        if line.strip() == "ctrl+s":
            break
    time.sleep(delay)  # the fault's moment, not a wait for a state
    proc.kill()
    out, _err = proc.communicate(timeout=30)
    return lines + out.split("\n")


def next_console(seat: Path, url: str, token: str, summary: str) -> None:
    """What the next console on the seat does: recover, restore (and save), send."""

    async def go() -> None:
        store, outbox = DraftStore(seat / "drafts"), Outbox(seat / "outbox.sqlite")
        client = BackendClient(url, token, timeout=5.0)
        recover_handed_over(store, outbox)
        owner = Owner(url.rstrip("/"), "1001")
        left = store.latest(owner)
        if left is not None:  # restored: never with a spent key
            assert check_key(store, outbox, left) == "keep"
            assert outbox.get_by_key(left["idempotency_key"]) is None
            body = {"category": left["category"], "summary": left["summary"], "notes": ""}
            job = SaveJob(owner, left["call"], body, left["idempotency_key"])
            hand_over(store, job)

            async def keep(*_args: object) -> None:
                raise AssertionError("the backend is up")

            outcome = await save(job, client, keep, store)
            assert outcome.kind == "saved", outcome
        assert store.latest(owner) is None
        sender = OutboxSender(
            outbox,
            lambda e: client.request(
                e.method, e.path, json=e.body, headers={"Idempotency-Key": e.idempotency_key}
            ),
            backend=client.base_url,
            agent_id="1001",
            policy=RetryPolicy(first=0.05, cap=0.5),
        )
        await asyncio.wait_for(sender.drain(), 60)
        assert outbox.entries() == []
        await client.aclose()
        store.close()

    asyncio.run(go())


@pytest.mark.parametrize(("kill_at", "backend_state"), NAMED)
def test_killed_at_a_named_moment_after_ctrl_s(
    fresh_server: EmbeddedBackend, tmp_path: Path, kill_at: str, backend_state: str
) -> None:
    url, token = fresh_server.url, login(fresh_server.url)
    summary = f"crash {kill_at} {backend_state} {uuid.uuid4().hex[:8]}"
    seat = tmp_path / "seat"
    if backend_state == "down":
        crash(fresh_server)
    lines = run_child(seat, url, token, summary, kill_at)
    assert kill_at in lines
    if backend_state == "down":
        fresh_server.start()  # back on the same port
    next_console(seat, url, token, summary)
    assert count(fresh_server, summary) == 1  # expected = found, none doubled


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("delay", TIMED)
def test_killed_a_few_milliseconds_after_ctrl_s(
    fresh_server: EmbeddedBackend, tmp_path: Path, delay: float, frozen: bool
) -> None:
    """A frozen backend (SIGSTOP) holds the request: it may create the ticket after the
    console died, while the next console sends it again with the same key."""
    url, token = fresh_server.url, login(fresh_server.url)
    summary = f"crash timed {delay} {frozen} {uuid.uuid4().hex[:8]}"
    seat = tmp_path / "seat"
    assert fresh_server.process is not None
    if frozen:
        os.kill(fresh_server.process.pid, signal.SIGSTOP)
    try:
        run_child_killed_after(seat, url, token, summary, delay)
    finally:
        if frozen:
            os.kill(fresh_server.process.pid, signal.SIGCONT)
    next_console(seat, url, token, summary)
    assert count(fresh_server, summary) == 1
