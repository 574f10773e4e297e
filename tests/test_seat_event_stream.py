"""The seat's event stream without a terminal or an App: events fanned out to the
listeners of their kind, ticket moves read defensively, the stream's state in the
session. The client's `events` is played by a script of events that ends with the
backend refusing the token (which ends the stream for good, as a real 401 does);
the real stream against a real server is tests/ui/test_lookup_pop.py and friends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine
from typing import Any

from agent_console.client import Unauthorized
from agent_console.config import EventsSettings
from agent_console.seat.event_stream import EventStream
from agent_console.session import SessionState
from agent_console.sse import ServerEvent


class Client:
    def __init__(self, *events: ServerEvent) -> None:
        self.script = events
        self.asked: list[tuple[str, float]] = []

    async def events(
        self, last_event_id: str = "", read_timeout: float = 45.0
    ) -> AsyncIterator[ServerEvent]:
        self.asked.append((last_event_id, read_timeout))
        for event in self.script:
            yield event
        raise Unauthorized(401, "unauthorized", "token revoked")


class Spawned:
    def __init__(self) -> None:
        self.work: list[tuple[str, bool, Coroutine[Any, Any, object]]] = []

    def __call__(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        self.work.append((group, exclusive, work))


def stream(client: Client, enabled: bool = True) -> tuple[EventStream, Spawned, list[str]]:
    session = SessionState()
    spawned, states = Spawned(), []
    settings = EventsSettings(enabled=enabled, silence_timeout=7.0)
    events = EventStream(
        client,
        settings,
        session,
        spawn=spawned,
        publish=lambda: states.append(session.events),
    )
    return events, spawned, states


def event(kind: str, data: dict[str, Any], id: str = "") -> ServerEvent:
    return ServerEvent(type=kind, data=data, id=id)


def test_each_event_goes_to_every_listener_of_its_kind_in_order() -> None:
    events, _spawned, _states = stream(Client())
    heard: list[tuple[str, Any]] = []
    events.on("call_ended", lambda data: heard.append(("seat", data["call_id"])))
    events.on("call_ended", lambda data: heard.append(("missed log", data["call_id"])))
    events.on("incoming_call", lambda data: heard.append(("ring", data["call_id"])))

    events.dispatch(event("call_ended", {"call_id": 4}))
    events.dispatch(event("practice_hint", {"text": "nobody listens"}))
    events.dispatch(event("incoming_call", {"call_id": 5}))

    assert heard == [("seat", 4), ("missed log", 4), ("ring", 5)]


def test_a_ticket_update_names_the_ticket_only_when_its_id_is_a_number() -> None:
    events, _spawned, _states = stream(Client())
    moved: list[int] = []
    events.on_ticket_moved.append(moved.append)
    for ticket_id in (12, "12", True, None, 3.0):
        events.dispatch(event("ticket_updated", {"ticket_id": ticket_id, "status": "closed"}))
    events.dispatch(event("ticket_updated", {}))
    assert moved == [12]


def test_a_call_that_ended_unanswered_is_a_missed_call_for_its_listeners() -> None:
    events, _spawned, _states = stream(Client())
    missed: list[int] = []
    ended: list[int] = []
    events.on_call_missed.append(missed.append)
    events.on("call_ended", lambda data: ended.append(data["call_id"]))
    events.dispatch(event("call_ended", {"call_id": 7, "answered": True}))
    events.dispatch(event("call_ended", {"call_id": 8, "answered": False}))
    events.dispatch(event("call_ended", {"call_id": "9", "answered": False}))
    events.dispatch(event("call_ended", {"call_id": 10}))  # a server that does not say
    assert missed == [8, 0] and ended == [7, 8, "9", 10]


async def test_the_stream_runs_in_the_background_and_its_state_reaches_the_session() -> None:
    hello = event("hello", {}, id="1")
    ring = event("incoming_call", {"call_id": 9}, id="2")
    client = Client(hello, ring)
    events, spawned, states = stream(client)
    rang: list[Any] = []
    events.on("incoming_call", lambda data: rang.append(data["call_id"]))

    events.start()

    [(group, exclusive, work)] = spawned.work
    assert (group, exclusive) == ("event-stream", True)
    await work  # until the backend refuses the token
    assert rang == [9]
    assert client.asked == [("", 7.0)]  # the configured silence timeout
    assert states == ["connecting", "live", "off"]
    assert events.session.events == "off"


def test_a_disabled_stream_never_opens() -> None:
    events, spawned, states = stream(Client(), enabled=False)
    events.start()
    assert spawned.work == [] and states == [] and events.consumer is None
