"""The seat's outbox service without a terminal or an App: a real outbox file, the
narrow client part it uses (`base_url`, `request`) played by a recorder that answers
or refuses as the test says, its background work run on the test's own loop.

The same service against a real server, through the App, is tests/ui/test_outbox_ui.py
and tests/ui/test_outbox_seat_ui.py; here each outcome is chosen (a refusal, a file
that cannot be opened) and what the agent is told is read back as plain values."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from agent_console.client import BackendError
from agent_console.config import OutboxSettings
from agent_console.models.agent import Agent
from agent_console.seat.outbox_service import KeepFailed, OutboxService
from agent_console.seat.ports import Severity
from agent_console.session import SessionState

ANNA = Agent(id="1001", name="Anna", role="agent", agent_no="1001")


class Client:
    base_url = "http://backend.test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any, dict[str, str] | None]] = []
        self.refuse: BackendError | None = None

    async def request(
        self, method: str, path: str, *, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append((method, path, json, headers))
        return {"id": len(self.sent)}


class Seat:
    """What the service asks of the console around it, recorded."""

    def __init__(self) -> None:
        self.work: list[tuple[str, Coroutine[Any, Any, object]]] = []
        self.told: list[tuple[str, str, Severity]] = []
        self.problems: list[tuple[str, str | None]] = []
        self.published = 0

    def spawn(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        self.work.append((group, work))

    def tell(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
    ) -> None:
        self.told.append((message, title, severity))

    def publish(self) -> None:
        self.published += 1

    def drop(self) -> None:
        """Work the test does not run: closed, not left to warn "never awaited"."""
        for _group, work in self.work:
            work.close()
        self.work.clear()

    def take(self, group: str) -> Coroutine[Any, Any, object]:
        index = next(i for i, (g, _w) in enumerate(self.work) if g == group)
        return self.work.pop(index)[1]


def service(tmp_path: Path, client: Client, seat: Seat, file: str = "") -> OutboxService:
    session = SessionState(agent=ANNA)
    settings = OutboxSettings(file=file or str(tmp_path / "outbox.sqlite"), first_backoff=0.01)
    return OutboxService(
        client,
        settings,
        session,
        spawn=seat.spawn,
        tell=seat.tell,
        publish=seat.publish,
        problem=lambda part, problem: seat.problems.append((part, problem)),
    )


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


async def test_a_kept_ticket_is_counted_then_sent_and_its_listeners_told(tmp_path: Path) -> None:
    client, seat = Client(), Seat()
    outbox = service(tmp_path, client, seat)
    sent: list[str] = []
    outbox.on_sent.append(sent.append)

    entry = await outbox.keep("POST", "/tickets", {"summary": "leak"}, "key-1", "leak")

    assert (outbox.session.outbox_waiting, seat.published) == (1, 1)
    assert entry.idempotency_key == "key-1" and client.sent == []
    sender = asyncio.create_task(seat.take("outbox"))  # keep() started the sender
    try:
        await until(lambda: sent == ["key-1"], "the kept ticket sent")
        assert client.sent == [
            ("POST", "/tickets", {"summary": "leak"}, {"Idempotency-Key": "key-1"})
        ]
        assert outbox.session.outbox_waiting == 0
        assert ("Every kept ticket has been sent.", "", "information") in seat.told
    finally:
        sender.cancel()
        outbox.close()


async def test_a_refused_ticket_is_said_as_an_error_and_counted_as_refused(
    tmp_path: Path,
) -> None:
    client, seat = Client(), Seat()
    client.refuse = BackendError(422, "invalid", "summary: too long")
    outbox = service(tmp_path, client, seat)
    await outbox.keep("POST", "/tickets", {"summary": "x" * 900}, "key-2", "too long")
    sender = asyncio.create_task(seat.take("outbox"))
    try:
        await until(lambda: outbox.session.outbox_refused == 1, "the refusal counted")
        message, title, severity = seat.told[-1]
        assert (title, severity) == ("Ticket not sent", "error")
        assert "too long" in message and "summary: too long" in message
        assert outbox.session.outbox_waiting == 0
    finally:
        sender.cancel()
        outbox.close()


async def test_nobody_signed_in_keeps_nothing(tmp_path: Path) -> None:
    client, seat = Client(), Seat()
    outbox = service(tmp_path, client, seat)
    outbox.session.agent = None
    with pytest.raises(KeepFailed, match="nobody is signed in"):
        await outbox.keep("POST", "/tickets", {}, "key-3", "x")
    outbox.start()
    assert seat.work == [] and outbox.opened() is None
    outbox.close()


async def test_an_outbox_that_cannot_be_opened_is_a_problem_of_the_outbox(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    client, seat = Client(), Seat()
    outbox = service(tmp_path, client, seat, file=str(blocker / "outbox.sqlite"))
    outbox.show_counts()
    await seat.take("outbox-count")
    assert [part for part, _problem in seat.problems] == ["outbox"]
    assert seat.published == 0
    with pytest.raises(KeepFailed):
        await outbox.keep("POST", "/tickets", {}, "key-4", "x")
    outbox.close()


async def test_counts_from_an_earlier_run_are_shown_once(tmp_path: Path) -> None:
    client, seat = Client(), Seat()
    first = service(tmp_path, client, seat)
    await first.keep("POST", "/tickets", {}, "key-5", "earlier")
    first.close()
    seat.drop()  # (its sender is not run: the ticket stays waiting)
    later = Seat()
    again = service(tmp_path, client, later)
    again.show_counts()
    await later.take("outbox-count")
    assert (again.session.outbox_waiting, later.published) == (1, 1)
    again.show_counts()
    await later.take("outbox-count")
    assert later.published == 1  # the same counts: the bar is not redrawn
    again.close()


def test_the_outbox_file_opened_from_several_threads_at_once_is_opened_once(
    tmp_path: Path,
) -> None:
    """At start the count, the sender and a save each open the file from a thread of
    their own. Opened twice at once, the two connections' set-up collided ("database
    is locked": the status bar said "outbox failing", CI's reviews snapshot caught it)."""
    import threading

    outbox_service = service(tmp_path, Client(), Seat())
    start = threading.Barrier(8)
    opened: list[object] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            opened.append(outbox_service._open())
        except BaseException as exc:  # what a thread raised is the result
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({id(o) for o in opened}) == 1
    outbox_service.close()
