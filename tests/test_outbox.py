"""The outbox against the real backend process: kept on disk, sent once, refusals kept
with the server's reason, backoff within its bounds, one sender per file."""

from __future__ import annotations

import random
import socket
import time
import uuid
from pathlib import Path

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendUnavailable
from agent_console.outbox import REFUSED, WAITING, Entry, KeyConflict, Outbox
from agent_console.outbox_delivery import OutboxSender, RetryPolicy
from tests.conftest import API


def ticket(summary: str, category: str = "heat.no_heat.partial") -> dict:
    return {"category": category, "summary": summary, "priority": "normal", "source": "hotline"}


def keep(outbox: Outbox, backend: str, body: dict, agent: str = "1001") -> str:
    key = str(uuid.uuid4())
    outbox.enqueue(
        backend=backend,
        agent_id=agent,
        method="POST",
        path="/tickets",
        body=body,
        idempotency_key=key,
        label=body["summary"],
    )
    return key


def sender_for(outbox: Outbox, client: BackendClient, **kwargs: object) -> OutboxSender:
    async def send(entry: object) -> object:
        return await client.request(
            entry.method,  # type: ignore[attr-defined]
            entry.path,  # type: ignore[attr-defined]
            json=entry.body,  # type: ignore[attr-defined]
            headers={"Idempotency-Key": entry.idempotency_key},  # type: ignore[attr-defined]
        )

    return OutboxSender(outbox, send, backend=client.base_url, agent_id="1001", **kwargs)  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_backoff_ceiling_doubles_up_to_the_cap_and_jitter_stays_within_it() -> None:
    policy = RetryPolicy(first=0.5, cap=10.0)
    assert [policy.ceiling(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]
    assert policy.ceiling(10_000) == 10.0  # no overflow after a very long outage
    rng = random.Random(5)
    for attempts in (1, 3, 6, 50):
        delays = [policy.delay(attempts, rng) for _ in range(2000)]
        ceiling = policy.ceiling(attempts)
        assert all(0 <= d <= ceiling for d in delays)
        # Full jitter: spread over the whole range, not bunched at the ceiling.
        assert min(delays) < 0.05 * ceiling and max(delays) > 0.95 * ceiling


def test_an_entry_is_on_disk_when_enqueue_returns_and_a_key_is_kept_once(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    outbox = Outbox(path)
    key = keep(outbox, "http://b", ticket("暖气不热"))
    again = outbox.enqueue(
        backend="http://b",
        agent_id="1001",
        method="POST",
        path="/tickets",
        body=ticket("暖气不热"),
        idempotency_key=key,
    )
    assert outbox.db_mode() == ("wal", 2)  # synchronous=FULL
    # Another connection (a console restarted after SIGKILL) sees it at once.
    reopened = Outbox(path)
    [entry] = reopened.entries()
    assert entry.id == again.id and entry.idempotency_key == key
    assert entry.body["summary"] == "暖气不热" and entry.state == WAITING
    assert reopened.counts("http://b", "1001").waiting == 1
    assert reopened.counts("http://other", "1001").waiting == 0


async def test_a_down_backend_postpones_within_the_backoff_ceiling(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    client = BackendClient(f"http://127.0.0.1:{closed_port()}", "token", connect_timeout=1)
    keep(outbox, client.base_url, ticket("连不上"))
    policy = RetryPolicy(first=2.0, cap=5.0)
    sender = sender_for(outbox, client, policy=policy)
    for attempts in (1, 2, 3, 4):
        before = time.time()
        assert await sender.step() == 0
        [entry] = outbox.entries()
        assert entry.attempts == attempts and entry.state == WAITING
        assert "cannot reach" in entry.last_error
        assert before <= entry.next_attempt_at <= time.time() + policy.ceiling(attempts)
        assert 0 < (await sender.step() or 0) <= policy.ceiling(attempts)  # not due yet
        sender.wake()  # the backend is back: try at once
    await client.aclose()


async def test_a_refused_ticket_stays_with_the_servers_reason_and_others_go_on(
    tmp_path: Path, server: EmbeddedBackend, agent_token: str
) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    client = BackendClient(server.url, agent_token)
    marker = uuid.uuid4().hex[:8]
    bad = keep(outbox, client.base_url, ticket(f"bad {marker}", category="heat.nope"))
    good = keep(outbox, client.base_url, ticket(f"good {marker}"))
    seen: list[tuple[str, str]] = []
    sender = sender_for(outbox, client, on_change=lambda c, e, o, m: seen.append((o, m)))
    await sender.drain()
    [entry] = outbox.entries()
    assert entry.idempotency_key == bad and entry.state == REFUSED
    assert entry.refused_status == 422 and "category" in entry.last_error
    assert outbox.counts(client.base_url, "1001").refused == 1
    assert seen[0][0] == REFUSED and "heat.nope" in seen[0][1]
    assert seen[1][0] == "sent"
    with httpx.Client(
        base_url=server.url + API, headers={"Authorization": f"Bearer {agent_token}"}
    ) as api:
        mine = [t for t in api.get("/tickets").json()["items"] if marker in t["summary"]]
        assert [t["summary"] for t in mine] == [f"good {marker}"]
        # Fixed on the server side (here: retried as is) it is refused again, never dropped.
        assert outbox.requeue(entry.id)
        await sender.drain()
        assert outbox.get(entry.id).state == REFUSED  # type: ignore[union-attr]
        assert good not in {e.idempotency_key for e in outbox.entries()}
    await client.aclose()


async def test_an_expired_sign_in_is_not_a_refusal(tmp_path: Path, server: EmbeddedBackend) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    client = BackendClient(server.url, "not-a-token")
    keep(outbox, client.base_url, ticket("token ended"))
    sender = sender_for(outbox, client)
    assert await sender.step() is None  # wait to be woken by the next sign-in
    [entry] = outbox.entries()
    assert entry.state == WAITING and entry.attempts == 0 and entry.last_error
    await client.aclose()


async def test_only_one_sender_drains_a_file(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    first, second = Outbox(path), Outbox(path)
    client = BackendClient("http://127.0.0.1:9", "t")
    a, b = sender_for(first, client), sender_for(second, client)
    assert a.lock.acquire()
    assert not b.lock.acquire()
    a.lock.release()
    assert b.lock.acquire()
    b.lock.release()


@pytest.mark.parametrize("status", [408, 429])
async def test_later_please_is_retried_not_refused(tmp_path: Path, status: int) -> None:
    """408/429 cannot be produced on demand by the real server: a mocked transport."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"code": "slow", "message": "later"}})

    client = BackendClient("http://mock", "t", transport=httpx.MockTransport(handler))
    outbox = Outbox(tmp_path / "outbox.sqlite")
    keep(outbox, client.base_url, ticket("later"))
    await sender_for(outbox, client).step()
    [entry] = outbox.entries()
    assert entry.state == WAITING and entry.attempts == 1 and entry.last_error == "later"
    await client.aclose()


def test_a_known_key_with_a_different_ticket_is_an_error_never_kept(tmp_path: Path) -> None:
    """Issue 20, item 1: two consoles (or two crashes) with one key and two tickets.
    The second is refused loudly; the first stays as it was; the same ticket again is
    still a harmless retry."""
    outbox = Outbox(tmp_path / "outbox.sqlite")
    key = keep(outbox, "http://b", ticket("FAULT-6-D by A"))
    with pytest.raises(KeyConflict) as caught:
        outbox.enqueue(
            backend="http://b",
            agent_id="1001",
            method="POST",
            path="/tickets",
            body=ticket("FAULT-6-D by C"),
            idempotency_key=key,
        )
    assert caught.value.entry.body["summary"] == "FAULT-6-D by A"
    [entry] = outbox.entries()
    assert entry.body["summary"] == "FAULT-6-D by A"
    for other_agent in ("1002",):  # the same body for another agent is another write
        with pytest.raises(KeyConflict):
            keep_with(outbox, key, ticket("FAULT-6-D by A"), agent=other_agent)
    again = keep_with(outbox, key, ticket("FAULT-6-D by A"))
    assert again.id == entry.id and len(outbox.entries()) == 1


def keep_with(outbox: Outbox, key: str, body: dict, agent: str = "1001") -> Entry:
    return outbox.enqueue(
        backend="http://b",
        agent_id=agent,
        method="POST",
        path="/tickets",
        body=body,
        idempotency_key=key,
        label=body["summary"],
    )


def test_counts_name_the_other_agents_whose_tickets_wait(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    keep(outbox, "http://b", ticket("mine"))
    keep(outbox, "http://b", ticket("theirs 1"), agent="1002")
    keep(outbox, "http://b", ticket("theirs 2"), agent="1002")
    keep(outbox, "http://other", ticket("elsewhere"), agent="1003")
    counts = outbox.counts("http://b", "1001")
    assert (counts.waiting, counts.others) == (1, (("1002", 2),))


async def test_each_agents_sender_has_its_own_lock(tmp_path: Path) -> None:
    """Issue 20, item 6: agent 1001's console sending never holds agent 1002's tickets."""
    path = tmp_path / "outbox.sqlite"
    client = BackendClient("http://127.0.0.1:9", "t")
    mine = sender_for(Outbox(path), client)
    theirs = OutboxSender(Outbox(path), client.request, backend=client.base_url, agent_id="1002")  # type: ignore[arg-type]
    twin = sender_for(Outbox(path), client)  # the same agent's second console
    assert mine.lock.acquire() and theirs.lock.acquire()
    assert not twin.lock.acquire()
    mine.lock.release()
    theirs.lock.release()


async def test_a_503_with_retry_after_waits_at_least_that_long(tmp_path: Path) -> None:
    """The backend's answer while its database is away (issue 20, item 8: another branch
    makes the server send it; until then only a mocked transport can produce it)."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": {"code": "database_unavailable", "message": "database unreachable"}}
        return httpx.Response(503, json=body, headers={"Retry-After": "7"})

    client = BackendClient("http://mock", "t", transport=httpx.MockTransport(handler))
    with pytest.raises(BackendUnavailable) as caught:
        await client.create_ticket(ticket("503"), "k")
    assert caught.value.status == 503 and caught.value.retry_after == 7.0
    assert "database unreachable" in caught.value.message
    outbox = Outbox(tmp_path / "outbox.sqlite")
    keep(outbox, client.base_url, ticket("503"))
    before = time.time()
    await sender_for(outbox, client, policy=RetryPolicy(first=0.1, cap=60)).step()
    [entry] = outbox.entries()
    assert entry.state == WAITING and entry.attempts == 1
    assert entry.next_attempt_at >= before + 7.0
    await client.aclose()
