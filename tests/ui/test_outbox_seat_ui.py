"""The outbox in the status bar when parts of the seat fail, and with several agents on
one home folder. Real App, real backend process, tickets counted in its database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from agent_console.backend_process import EmbeddedBackend
from agent_console.outbox import Outbox, default_path
from agent_console.outbox_delivery import SenderLock
from tests.conftest import AppFactory, login
from tests.ui.helpers import status_part, wait_for


def keep(outbox: Outbox, url: str, summary: str, agent: str = "1001", category: str = "") -> int:
    entry = outbox.enqueue(
        backend=url,
        agent_id=agent,
        method="POST",
        path="/tickets",
        body={"category": category or "heat.no_heat.partial", "summary": summary},
        idempotency_key=f"seat-{agent}-{summary}",
        label=summary,
    )
    return entry.id


def count(backend: EmbeddedBackend, summary: str) -> int:
    db = sqlite3.connect(str(backend.db))
    try:
        row = db.execute("SELECT count(*) FROM tickets WHERE summary = ?", (summary,)).fetchone()
        return int(row[0])
    finally:
        db.close()


def bar(app: object) -> str:
    return status_part(app, "outbox")  # type: ignore[arg-type]


async def test_a_failing_sender_is_in_the_status_bar_and_recovers_by_itself(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """The lock file cannot be opened (here: a folder stands where it goes, a failure
    root cannot ignore); the bar says the outbox is failing; when the cause goes, the
    ticket is sent and the warning leaves."""
    url, token = fresh_server.url, login(fresh_server.url)
    outbox = Outbox(default_path())
    keep(outbox, url, "stuck behind a broken lock")
    blocker = SenderLock(default_path(), url, "1001").path
    blocker.mkdir()
    app = make_app(url=url, token=token)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: "outbox failing" in bar(app))
        assert "1 waiting" in bar(app)
        assert "IsADirectoryError" in app.session.problems["outbox"]
        assert count(fresh_server, "stuck behind a broken lock") == 0
        blocker.rmdir()
        await wait_for(pilot, lambda: not app.session.problems)
        await wait_for(pilot, lambda: app.session.outbox_waiting == 0)
        # The bar redraws on its own turn (the status signal posts to it): wait for it.
        await wait_for(pilot, lambda: "failing" not in bar(app) and "waiting" not in bar(app))
    assert count(fresh_server, "stuck behind a broken lock") == 1


async def test_another_agents_tickets_are_named_and_sent_by_their_own_sender(
    make_app: AppFactory, fresh_server: EmbeddedBackend, tmp_path: Path
) -> None:
    """Issue 20, item 6: agent 1001's console holds its lock; agent 1002's kept ticket
    is named in the bar and sent meanwhile by 1002's sender (`agent-console outbox send`
    for 1002, on the same home folder), not after 1001's console quits."""
    url = fresh_server.url
    outbox = Outbox(default_path())
    keep(outbox, url, "kept by 1001")
    keep(outbox, url, "kept by 1002", agent="1002")
    app = make_app(url=url, token=login(url))
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: count(fresh_server, "kept by 1001") == 1)
        await wait_for(pilot, lambda: "1 of 1002" in bar(app))
        config = tmp_path / "config.toml"
        config.write_text(f'[backend]\nurl = "{url}"\n')
        env = {**os.environ, "AGENT_CONSOLE_TOKEN": login(url, "1002")}
        args = [sys.executable, "-m", "agent_console", "--config", str(config), "outbox"]
        done = subprocess.run(
            [*args, "send", "--agent", "1002"], env=env, capture_output=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        # The 1001 console counts again by itself: the other agent's ticket has gone.
        await wait_for(pilot, lambda: "1002" not in bar(app))
    assert count(fresh_server, "kept by 1002") == 1 and count(fresh_server, "kept by 1001") == 1


async def test_a_discarded_refusal_leaves_the_status_bar(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """Issue 20, item 7: after `agent-console outbox discard` the bar no longer says
    "✗ 1 refused" (the running console counts again, lock or not)."""
    url = fresh_server.url
    outbox = Outbox(default_path())
    bad = keep(outbox, url, "bad category", category="heat.nope")
    app = make_app(url=url, token=login(url))
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: "1 refused" in bar(app))
        assert outbox.discard(bad)  # what `agent-console outbox discard` does
        await wait_for(pilot, lambda: "refused" not in bar(app))
