"""Chaos: 200 tickets kept while the backend is down, then delivered exactly once
although the real server is SIGKILLed and restarted at random moments, once right
after it committed a ticket (before the console read the reply), and the console's
sender process is SIGKILLed and restarted once.

Everything is real: the backend process over a copy of the demo database, the
console's BackendClient, and `agent-console outbox send` - the very Outbox and
OutboxSender the console runs - as a child process. Between the sender and the
server sits a small TCP proxy in this test. It makes "the server committed but
the client never read the reply" deterministic: when armed, it reads the server's
reply (a reply is written only after the commit), SIGKILLs the server, and closes
the sender's connection without passing the reply on. It also delays each reply
by a few milliseconds so the drain lasts long enough to be interrupted.

The randomness is seeded; the seed is printed (set OUTBOX_CHAOS_SEED to replay one).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendUnavailable
from agent_console.outbox import Outbox
from tests.conftest import API, login

TICKETS = 200
DRAIN_TIMEOUT = 60.0  # generous: the machine is shared; an idle one drains in a few s


class Proxy:
    """Forwards loopback TCP to the backend; can drop a reply after the commit."""

    def __init__(self, upstream_port: int, on_commit_trap: Callable[[], None]) -> None:
        self.upstream_port = upstream_port
        self.on_commit_trap = on_commit_trap
        self.armed = threading.Event()
        self.lost_replies: list[str] = []  # Idempotency-Keys committed, reply never read
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.closing = True
        self.sock.close()

    def _accept(self) -> None:
        while not self.closing:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            client.close()  # the server is down: the sender sees the connection drop
            return
        last_key = [""]

        def up() -> None:
            with contextlib.suppress(OSError):
                while data := client.recv(65536):
                    for line in data.split(b"\r\n"):
                        if line.lower().startswith(b"idempotency-key:"):
                            last_key[0] = line.split(b":", 1)[1].strip().decode()
                    upstream.sendall(data)
            with contextlib.suppress(OSError):
                upstream.shutdown(socket.SHUT_WR)

        threading.Thread(target=up, daemon=True).start()
        with contextlib.suppress(OSError):
            while data := upstream.recv(65536):
                if self.armed.is_set() and data.startswith(b"HTTP/1.1 201"):
                    self.armed.clear()
                    self.lost_replies.append(last_key[0])
                    self.on_commit_trap()  # the server committed; it dies now
                    break
                time.sleep(0.004)
                client.sendall(data)
        for s in (client, upstream):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


class Backend:
    """The real server on a fixed port, started and SIGKILLed at will."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db, self.log = db, log
        self.port = 0
        self.proc: EmbeddedBackend | None = None
        self.kills = 0

    def start(self) -> None:
        self.proc = EmbeddedBackend(
            self.db, demo_data=False, log_file=self.log, port=self.port
        ).start()
        self.port = self.proc.port

    def sigkill_process(self) -> None:
        proc = self.proc.process if self.proc else None
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)

    def kill(self) -> None:
        if self.proc is None:
            return
        self.sigkill_process()
        if self.proc.process is not None:
            self.proc.process.wait()
        self.proc.stop()  # closes our copy of the listening socket
        self.proc = None
        self.kills += 1


def start_sender(config: Path, outbox: Path, token: str, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AGENT_CONSOLE_TOKEN": token}
    args = [sys.executable, "-m", "agent_console", "--config", str(config), "outbox", "send"]
    args += ["--file", str(outbox), "--agent", "1001"]
    with out.open("ab") as log:
        return subprocess.Popen(args, stdout=log, stderr=log, env=env, start_new_session=True)


async def keep_while_down(url: str, token: str, outbox: Outbox, bodies: list[dict]) -> list[str]:
    """What the ticket screen does: try to save, and keep the ticket when that fails."""
    client = BackendClient(url, token, connect_timeout=1)
    keys = []
    for body in bodies:
        key = str(uuid.uuid4())
        try:
            await client.create_ticket(body, key)
        except BackendUnavailable:
            outbox.enqueue(
                backend=client.base_url,
                agent_id="1001",
                method="POST",
                path="/tickets",
                body=body,
                idempotency_key=key,
                label=body["summary"],
            )
        keys.append(key)
    await client.aclose()
    return keys


def test_every_ticket_arrives_exactly_once_through_server_and_sender_crashes(
    demo_db_template: Path, tmp_path: Path
) -> None:
    seed = int(os.environ.get("OUTBOX_CHAOS_SEED", time.time_ns() % 1_000_000))
    print(f"outbox chaos seed: {seed} (OUTBOX_CHAOS_SEED={seed} to replay)")
    rng = random.Random(seed)
    started = time.monotonic()

    db = tmp_path / "backend.db"
    db.write_bytes(demo_db_template.read_bytes())
    backend = Backend(db, tmp_path / "server.log")
    backend.start()
    token = login(backend.proc.url)  # type: ignore[union-attr]
    backend.kill()  # the backend goes down before the tickets are typed

    proxy = Proxy(backend.port, backend.sigkill_process)
    url = f"http://127.0.0.1:{proxy.port}"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[backend]\nurl = "{url}"\ntimeout = 3.0\nconnect_timeout = 1.0\n'
        "[outbox]\nfirst_backoff = 0.05\nmax_backoff = 0.4\n"
    )
    outbox_file = tmp_path / "outbox.sqlite"
    outbox = Outbox(outbox_file)
    marker = f"chaos-{seed}-{uuid.uuid4().hex[:6]}"
    bodies = [
        {"category": "heat.no_heat.partial", "summary": f"{marker} #{i:03d}", "notes": "暖气不热"}
        for i in range(TICKETS)
    ]
    keys = asyncio.run(keep_while_down(url, token, outbox, bodies))
    assert outbox.counts(url, "1001").waiting == TICKETS

    sender_log = tmp_path / "sender.log"
    sender = start_sender(config, outbox_file, token, sender_log)
    sender_killed = False
    try:
        # Up to three outages while the outbox drains. Even ones end with the server
        # killed right after a commit, odd ones at a random moment; during the
        # first of those the sender is SIGKILLed too, at a random moment.
        for phase in range(3):
            if outbox.counts(url, "1001").waiting == 0:
                break
            backend.start()
            if phase % 2 == 0:
                proxy.armed.set()
                deadline = time.monotonic() + 5
                while proxy.armed.is_set() and time.monotonic() < deadline:
                    time.sleep(0.002)
                proxy.armed.clear()
            else:
                up = rng.uniform(0.1, 0.6)
                if not sender_killed:
                    first = up * rng.random()
                    time.sleep(first)
                    os.kill(sender.pid, signal.SIGKILL)
                    sender.wait()
                    sender_killed = True
                    sender = start_sender(config, outbox_file, token, sender_log)
                    up -= first
                time.sleep(up)
            backend.kill()
            time.sleep(rng.uniform(0.05, 0.4))
        backend.start()
        chaos_done = time.monotonic() - started
        try:
            sender.wait(timeout=DRAIN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(sender_log.read_text()[-3000:]) from None
        log = sender_log.read_text()
        assert sender.returncode == 0, log[-3000:]
        assert sender_killed
        assert proxy.lost_replies, "the commit-then-kill trap never fired"

        # Via the API: the newest 200 tickets are exactly ours, and a replay of a
        # key whose reply was lost, and of a sample of others, returns that ticket
        # (the server already had it; nothing new is made).
        with httpx.Client(
            base_url=backend.proc.url + API,  # type: ignore[union-attr]
            headers={"Authorization": f"Bearer {token}"},
        ) as api:
            newest = api.get("/tickets", params={"limit": TICKETS}).json()["items"]
            assert sorted(t["summary"] for t in newest) == [b["summary"] for b in bodies]
            by_key = dict(zip(keys, bodies, strict=True))
            for key in {*proxy.lost_replies, *rng.sample(keys, 10)}:
                r = api.post("/tickets", json=by_key[key], headers={"Idempotency-Key": key})
                assert r.status_code == 201 and r.headers.get("idempotent-replayed") == "true"
                assert r.json()["summary"] == by_key[key]["summary"]
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()
        proxy.close()
        backend.kill()
    # And nothing doubled: one row per summary in the server's database (the API
    # lists at most 200, so a 201st row could hide from it).
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT summary, count(*) FROM tickets WHERE summary LIKE ? GROUP BY summary",
            (f"{marker} #%",),
        ).fetchall()
    assert sorted(s for s, _ in rows) == sorted(b["summary"] for b in bodies)
    assert {n for _, n in rows} == {1}
    assert outbox.counts(url, "1001").waiting == 0 and outbox.entries() == []
    print(
        f"{TICKETS} tickets, {backend.kills} server kills, {len(proxy.lost_replies)} replies "
        f"lost after commit, sender killed once; chaos {chaos_done:.1f} s, "
        f"total {time.monotonic() - started:.1f} s"
    )
