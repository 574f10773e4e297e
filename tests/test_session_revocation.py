"""Sessions ended in one process of a PostgreSQL centre reach every other process's
session cache (server/shared_events.py): two shared buses over one real database stand
for two workers, one of them with a listener the test can stall or cut off."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from agent_console.server.session_cache import SessionCache
from agent_console.server.shared_events import SharedEventBus
from agent_console.server.storage import open_storage
from agent_console.server.storage.base import EventStore
from tests.cross_worker import wait_until

ROW = {"id": "1002", "role": "agent", "expires_at": "2999-01-01T00:00:00Z"}
NOW = "2026-12-07T04:00:00Z"


class Held:
    """The real store, whose listener the test can hold: `reads` closed stalls its
    catch-up reads (a worker starved of CPU), `connects` closed keeps it from
    connecting again, and `cut()` ends its connection from the server's side."""

    def __init__(self, store: EventStore, url: str) -> None:
        self.store, self.url = store, url
        self.reads, self.connects = threading.Event(), threading.Event()
        self.reads.set()
        self.connects.set()
        self.pids: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def listener(self) -> Any:
        if not self.connects.wait(10):
            raise psycopg.OperationalError("the test keeps the listener away")
        real = self.store.listener()
        self.pids.append(real.conn.info.backend_pid)  # type: ignore[attr-defined]
        held = self

        class Listener:
            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

            def after(self, after_id: int, limit: int = 500) -> Any:
                held.reads.wait(10)
                return real.after(after_id, limit)

        return Listener()

    def cut(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (self.pids[-1],))


@pytest.fixture
def two_workers(pg_cluster: Any) -> Iterator[tuple[SharedEventBus, SharedEventBus, Held]]:
    """Worker A (a plain listener) and worker B (a held one), each with its cache."""
    url = pg_cluster.create_database(f"rev{uuid.uuid4().hex[:8]}")
    storage = open_storage(url)
    store = storage.event_store()
    assert store is not None
    held = Held(store, url)
    a = SharedEventBus(store)
    b = SharedEventBus(held)  # type: ignore[arg-type]
    for bus in (a, b):
        bus.sessions = SessionCache(ttl=60.0, fresh=bus.caught_up)
    try:
        wait_until(lambda: a.caught_up() and b.caught_up(), what="both listeners caught up")
        yield a, b, held
    finally:
        held.reads.set()
        held.connects.set()
        a.close()
        b.close()
        storage.close()


def cache(bus: SharedEventBus) -> SessionCache:
    assert bus.sessions is not None
    return bus.sessions


def remember(bus: SharedEventBus, token: str = "h") -> None:
    cache(bus).put(token, ROW, cache(bus).generation)
    assert cache(bus).get(token, NOW) == ROW


def test_a_sign_out_in_one_process_is_forgotten_by_the_other_before_it_answers(
    two_workers: tuple[SharedEventBus, SharedEventBus, Held],
) -> None:
    a, b, _ = two_workers
    remember(a)
    remember(b)
    remember(b, "other")
    a.revoke_sessions(token_hash="h")
    assert cache(a).get("h", NOW) is None
    assert cache(b).get("h", NOW) is None
    assert cache(b).get("other", NOW) == ROW  # only that token
    a.revoke_sessions(agent_id="1002")
    assert cache(b).get("other", NOW) is None


def test_a_process_whose_listener_lags_answers_nothing_from_memory(
    two_workers: tuple[SharedEventBus, SharedEventBus, Held],
) -> None:
    """B's listener is stalled (not yet read the sign-out): when A's sign-out answers,
    B no longer trusts its cache; once B catches up, the session is gone from it."""
    a, b, held = two_workers
    remember(b)
    held.reads.clear()
    a.revoke_sessions(token_hash="h")
    assert cache(b).get("h", NOW) is None
    held.reads.set()
    wait_until(b.caught_up, what="B caught up again")
    assert cache(b).get("h", NOW) is None


def test_a_lost_listener_connection_turns_the_cache_off_until_it_is_back(
    two_workers: tuple[SharedEventBus, SharedEventBus, Held],
) -> None:
    """Cut off, B forgets everything and answers nothing from memory; a sign-out made
    meanwhile is read from the table when B is back."""
    a, b, held = two_workers
    remember(b)
    held.connects.clear()
    held.cut()
    wait_until(lambda: len(cache(b)) == 0, what="B's cache cleared")
    assert not b.caught_up()
    cache(b).put("h", ROW, cache(b).generation)  # read from the database meanwhile
    assert cache(b).get("h", NOW) is None
    a.revoke_sessions(token_hash="h")
    held.connects.set()
    wait_until(b.caught_up, what="B connected again")
    assert cache(b).get("h", NOW) is None
