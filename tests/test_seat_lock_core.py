"""The seat lock's rules without a terminal or an App, on a hand-driven clock: when it
locks, what waits meanwhile, what signing in again restores and in which order, and
where the new token goes. The screens' part (the timer, the lock screen, the cursor
put back) is recorded here; tests/ui/test_seat_lock.py drives the real one against a
real server. The client is a recorder of its token and requests (the revoke of the
old token is checked by what it sends)."""

from __future__ import annotations

from collections.abc import Coroutine, Iterator
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from agent_console.models.agent import Agent
from agent_console.seat.lock import SeatLock, keep_token
from agent_console.session import SessionState
from tests.conftest import MemoryKeyring

ANNA = Agent(id="1003", name="Anna", role="agent", agent_no="1003")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Client:
    base_url = "http://backend.test"

    def __init__(self, token: str | None = "old") -> None:
        self.token = token
        self.requests: list[tuple[str, str, dict[str, str] | None, bool]] = []

    async def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, auth: bool = True
    ) -> Any:
        self.requests.append((method, path, headers, auth))
        return {}


class Screens:
    def __init__(self) -> None:
        self.scheduled: list[float | None] = []
        self.covers: list[str] = []
        self.waiting: list[int] = []
        self.happened: list[str] = []
        self.told: list[tuple[str, str]] = []
        self.work: list[Coroutine[Any, Any, object]] = []

    def spawn(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        self.work.append(work)

    def tell(self, message: str, *, title: str = "", **_how: object) -> None:
        self.told.append((message, title))


def seat_lock(minutes: float = 15, agent: Agent | None = ANNA) -> tuple[SeatLock, Clock, Screens]:
    clock, screens = Clock(), Screens()
    lock = SeatLock(
        SessionState(agent=agent),
        Client(),
        timeout=minutes * 60,
        remember_login=False,
        spawn=screens.spawn,
        tell=screens.tell,
        publish=lambda: screens.happened.append("published"),
        clock=clock,
    )
    lock.schedule = screens.scheduled.append
    lock.cover = screens.covers.append
    lock.show_waiting = screens.waiting.append
    return lock, clock, screens


def test_an_idle_seat_locks_after_the_timeout_counted_from_the_last_key() -> None:
    lock, clock, screens = seat_lock(minutes=1)
    lock.start()
    assert screens.scheduled == [60]
    clock.now += 30
    assert lock.key()  # a key: in use
    clock.now += 40
    lock.check()  # 40 s since the key: look again in 20 s
    assert screens.scheduled == [60, 20] and not lock.locked
    clock.now += 20
    lock.check()
    assert lock.locked and len(screens.covers) == 1
    assert screens.covers[0].startswith("Locked after 1 min without a key.")
    assert not lock.key()  # keys go to the lock screen only
    lock.check()  # a late check while locked does nothing
    assert len(screens.covers) == 1 and screens.scheduled == [60, 20]


def test_no_lock_without_an_agent_or_a_timeout() -> None:
    lock, clock, screens = seat_lock(minutes=1, agent=None)
    lock.start()
    clock.now += 600
    lock.check()
    lock.session_ended()
    assert not lock.locked and screens.covers == [] and screens.scheduled == [60, 60]
    never, _clock, never_screens = seat_lock(minutes=0)
    never.start()
    assert never_screens.scheduled == [None]  # no timer at all


def test_a_refused_token_locks_once() -> None:
    lock, _clock, screens = seat_lock()
    lock.session_ended()
    lock.session_ended()
    assert lock.locked and len(screens.covers) == 1
    assert screens.covers[0].startswith("Your session has ended.")


async def test_signing_in_again_restores_the_work_then_rings_what_waited() -> None:
    lock, clock, screens = seat_lock(minutes=1)
    assert not lock.hold(lambda: screens.happened.append("not kept"))  # not locked
    lock.lock("idle")
    lock.on_unlock.append(lambda: screens.happened.append("stream and outbox"))
    assert lock.hold(lambda: screens.happened.append("call 1 rings"))
    assert lock.hold(lambda: screens.happened.append("call 2 rings"))
    assert screens.waiting == [1, 2] and lock.waiting == 2
    clock.now += 500

    lock.unlocked("new", ANNA)

    assert not lock.locked and lock.reason == "" and lock.client.token == "new"
    assert screens.happened == ["published", "stream and outbox", "call 1 rings", "call 2 rings"]
    assert lock.waiting == 0 and lock.last_key == clock.now
    assert screens.scheduled[-1] == 60  # idle counted from the unlock
    [revoke] = screens.work
    await revoke
    assert lock.client.requests == [  # type: ignore[attr-defined]
        ("POST", "/auth/logout", {"Authorization": "Bearer old"}, False)
    ]


def test_the_same_token_again_is_not_revoked() -> None:
    lock, _clock, screens = seat_lock()
    lock.lock("idle")
    lock.unlocked("old", ANNA)
    assert screens.work == []


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_a_remembered_token_goes_to_the_keyring(memory_keyring: MemoryKeyring) -> None:
    client, screens = Client(None), Screens()
    keep_token(client, "t1", remember=True, tell=screens.tell)
    assert client.token == "t1" and list(memory_keyring.store.values()) == ["t1"]
    keep_token(client, "t2", remember=False, tell=screens.tell)
    assert client.token == "t2" and list(memory_keyring.store.values()) == ["t1"]
    assert screens.told == []


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_token_is_kept_for_the_session_and_the_agent_told() -> None:
    client, screens = Client(None), Screens()
    keep_token(client, "t1", remember=True, tell=screens.tell)
    assert client.token == "t1"
    [(message, _title)] = screens.told
    # One line that says what to do (issue 17), not the keyring's dozen-line story.
    assert "\n" not in message and "keyring" in message and "AGENT_CONSOLE_TOKEN" in message
