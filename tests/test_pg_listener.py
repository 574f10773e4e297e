"""The events listener's wait on PostgreSQL (storage/postgres/events.py): a poll of its
socket, then psycopg reads what came. It must still say when a notification came (at
once or from psycopg's backlog, filled by a read on the same connection), say so when
none came, and raise when the connection is gone (the bus then reconnects)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.pgcluster import PgCluster


@pytest.fixture
def store(pg_cluster: PgCluster) -> Iterator[Any]:
    from agent_console.server.storage import open_storage

    storage = open_storage(pg_cluster.create_database(f"listen{uuid.uuid4().hex[:8]}"))
    try:
        yield storage.event_store()
    finally:
        storage.close()


def test_the_listener_wakes_for_a_notification_and_only_then(store: Any) -> None:
    listener = store.listener()
    try:
        assert listener.wait(0.05) is False
        first = store.append("notice", {"n": 1}, ["all"])
        assert listener.wait(10) is True
        assert [r["id"] for r in listener.after(first - 1)] == [first]
        assert listener.wait(0.05) is False  # that one was consumed
    finally:
        listener.close()


def test_a_notification_read_with_a_catch_up_is_not_lost(store: Any) -> None:
    """A notification that arrives while the listener's connection runs its catch-up
    read lands in psycopg's backlog: the next wait reports it without waiting."""
    listener = store.listener()
    try:
        before = store.latest()
        store.append("notice", {"n": 2}, ["all"])
        for _ in range(50):  # the read that picks the notification up with its rows
            if listener.after(before):
                break
        assert listener.wait(0) is True
    finally:
        listener.close()


def test_a_terminated_listener_connection_raises(store: Any, pg_cluster: PgCluster) -> None:
    listener = store.listener()
    pid = listener.conn.info.backend_pid
    try:
        store.core.db.execute("SELECT pg_terminate_backend(?)", (pid,))
        with pytest.raises(psycopg.OperationalError):
            for _ in range(100):  # the termination arrives: the wait raises
                listener.wait(0.1)
    finally:
        listener.close()
