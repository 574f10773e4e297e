"""A hypothesis state machine for the outbox: nothing lost, nothing doubled.

The outbox file and the sender are the real ones; the backend is a fake transport
in-process (a dict of tickets by Idempotency-Key that replays a known key, like the
real server), because the interleavings explored here - a commit whose reply is
lost, a crash between the server's commit and the local delete, hundreds of them
per second - cannot be produced on demand with a real process. The chaos test
(test_outbox_chaos.py) does the same against the real server.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from agent_console.client import BackendError, BackendUnavailable
from agent_console.outbox import REFUSED, Entry, Outbox
from agent_console.outbox_delivery import OutboxSender, RetryPolicy

BACKEND = "http://fake"


class Crash(BaseException):
    """The console dies (SIGKILL) at this very point: nothing after it runs."""


class FakeServer:
    def __init__(self) -> None:
        self.up = False
        self.tickets: dict[str, dict] = {}
        self.creations: list[str] = []  # one per ticket created, by key
        self.drop_reply = False  # commit, then the connection drops before the reply
        self.crash_after_commit = False  # commit, then the console is killed

    async def send(self, entry: Entry) -> object:
        if not self.up:
            raise BackendUnavailable("connection refused")
        if entry.body.get("category") == "bad":
            raise BackendError(422, "invalid", "unknown category", {"category": "unknown"})
        if entry.idempotency_key not in self.tickets:
            self.tickets[entry.idempotency_key] = entry.body
            self.creations.append(entry.idempotency_key)
        if self.crash_after_commit:
            self.crash_after_commit = False
            raise Crash
        if self.drop_reply:
            self.drop_reply = False
            raise BackendUnavailable("server disconnected without sending a response")
        return {"id": len(self.tickets)}


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="outbox-model-"))
        self.server = FakeServer()
        self.now = 1000.0
        self.kept: dict[str, bool] = {}  # key -> whether the server must accept it
        self.counter = itertools.count()
        self.open()

    def open(self) -> None:
        """Start the console (again): the outbox and its sender from the file alone."""
        self.outbox = Outbox(self.dir / "outbox.sqlite")
        self.sender = OutboxSender(
            self.outbox,
            self.server.send,
            backend=BACKEND,
            agent_id="1001",
            policy=RetryPolicy(first=1.0, cap=8.0),
            clock=lambda: self.now,
        )

    def teardown(self) -> None:
        self.outbox.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- what happens -------------------------------------------------------------------
    @rule(bad=st.integers(0, 4).map(lambda n: n == 0))  # one in five is refused
    def enqueue(self, bad: bool) -> None:
        key = str(uuid.uuid4())
        n = next(self.counter)
        self.outbox.enqueue(
            backend=BACKEND,
            agent_id="1001",
            method="POST",
            path="/tickets",
            body={"summary": f"ticket {n}", "category": "bad" if bad else "heat"},
            idempotency_key=key,
            now=self.now,
        )
        self.kept[key] = not bad

    @rule()
    def crash(self) -> None:
        self.outbox.close()
        self.open()

    @rule(up=st.booleans())
    def server_state(self, up: bool) -> None:
        self.server.up = up

    @rule()
    def lose_next_reply(self) -> None:
        self.server.drop_reply = True

    @rule()
    def die_after_next_commit(self) -> None:
        self.server.crash_after_commit = True

    @rule(seconds=st.floats(min_value=0, max_value=20))
    def time_passes(self, seconds: float) -> None:
        self.now += seconds

    @rule(wake=st.booleans())
    def deliver(self, wake: bool) -> None:
        if wake:
            self.sender.wake()
        try:
            asyncio.run(self.sender.step())
        except Crash:
            self.outbox.close()
            self.open()

    @precondition(lambda self: self.kept)
    @rule()
    def backend_returns_and_everything_drains(self) -> None:
        self.server.up = True
        self.server.drop_reply = self.server.crash_after_commit = False
        for _ in range(len(self.kept) + 1):
            self.sender.wake()
            if asyncio.run(self.sender.step()) is None:
                break
        accepted = {k for k, ok in self.kept.items() if ok}
        assert set(self.server.tickets) == accepted
        assert {e.idempotency_key for e in self.outbox.entries()} == set(self.kept) - accepted
        assert all(e.state == REFUSED for e in self.outbox.entries())

    # -- what must always hold ------------------------------------------------------------
    @invariant()
    def nothing_doubled(self) -> None:
        assert len(self.server.creations) == len(set(self.server.creations))

    @invariant()
    def nothing_lost(self) -> None:
        """Every kept ticket is on the server or still in the file (or both, for the
        moment between the server's commit and the local delete)."""
        in_file = {e.idempotency_key for e in self.outbox.entries()}
        for key in self.kept:
            assert key in self.server.tickets or key in in_file, key

    @invariant()
    def only_bad_tickets_are_refused(self) -> None:
        for entry in self.outbox.entries():
            if entry.state == REFUSED:
                assert not self.kept[entry.idempotency_key]

    @invariant()
    def oldest_first(self) -> None:
        """A later ticket never reaches the server before an earlier accepted one."""
        order = list(self.kept)
        positions = [order.index(k) for k in self.server.creations]
        assert positions == sorted(positions)


OutboxMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOutbox = OutboxMachine.TestCase
