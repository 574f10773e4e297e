"""The console's side of the backend's event stream (SSE), without Textual.

`SseParser` turns the bytes of `GET /api/v1/events` into `ServerEvent`s;
`Backoff` spaces out reconnection attempts (capped, with jitter, so a hundred
seats do not reconnect in the same millisecond after a server restart);
`EventConsumer.run()` keeps one stream open for as long as the console runs,
reporting its state ("connecting", "live", "retrying", "off") and handing each
event to a callback. The seat (agent_console/seat/event_stream.py) fans them out.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent_console.text import clean_tree

CONNECTING = "connecting"
LIVE = "live"
RETRYING = "retrying"
OFF = "off"


@dataclass(frozen=True)
class ServerEvent:
    type: str
    data: dict[str, Any]
    id: str = ""


@dataclass
class SseParser:
    """Incremental parser of the text/event-stream format (WHATWG HTML, 9.2).

    Feed it text as it arrives, in chunks of any size; it returns the events that
    are complete. Comments (`: ping`) and `retry:` lines are consumed; `data` must
    be a JSON object (anything else is dropped: untrusted input never crashes us).
    """

    buffer: str = ""
    last_id: str = ""
    retry_ms: int | None = None
    _type: str = ""
    _data: list[str] = field(default_factory=list[str])

    def feed(self, chunk: str) -> list[ServerEvent]:
        self.buffer += chunk
        events: list[ServerEvent] = []
        while True:
            cut = _line_end(self.buffer)
            if cut is None:
                return events
            line, self.buffer = self.buffer[: cut[0]], self.buffer[cut[1] :]
            event = self._line(line)
            if event is not None:
                events.append(event)

    def _line(self, line: str) -> ServerEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> ServerEvent | None:
        kind, data = self._type or "message", "\n".join(self._data)
        self._type, self._data = "", []
        if not data:
            return None
        try:
            payload = json.loads(data)
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        return ServerEvent(kind, clean_tree(payload), self.last_id)


def _line_end(text: str) -> tuple[int, int] | None:
    """Where the first line ends and the next begins (CRLF, LF or CR), if complete."""
    for i, ch in enumerate(text):
        if ch == "\n":
            return i, i + 1
        if ch == "\r":
            if i + 1 == len(text):
                return None  # a LF may follow in the next chunk
            return i, i + 2 if text[i + 1] == "\n" else i + 1
    return None


class Backoff:
    """Capped exponential backoff with jitter: 0.5 s, 1 s, 2 s ... up to `cap`."""

    def __init__(
        self, first: float = 0.5, cap: float = 10.0, jitter: float = 0.2, seed: int | None = None
    ) -> None:
        self.first, self.cap, self.jitter = first, cap, jitter
        self.attempt = 0
        self._rng = random.Random(seed)

    def next_delay(self) -> float:
        base = min(self.cap, self.first * 2**self.attempt)
        self.attempt += 1
        return max(0.0, base * (1 + self._rng.uniform(-self.jitter, self.jitter)))

    def reset(self) -> None:
        self.attempt = 0


class EventSource(Protocol):
    """What the consumer needs from the HTTP client (BackendClient.events)."""

    def events(self, last_event_id: str = "") -> AsyncIterator[ServerEvent]: ...


class EventConsumer:
    """Keeps the event stream open: reconnects after a drop with capped backoff,
    resuming from the last event id so nothing published meanwhile is lost."""

    def __init__(
        self,
        source: EventSource,
        on_event: Callable[[ServerEvent], None],
        on_state: Callable[[str, float | None], None],
        backoff: Backoff | None = None,
        is_auth_error: Callable[[BaseException], bool] = lambda exc: False,
    ) -> None:
        self.source = source
        self.on_event = on_event
        self.on_state = on_state
        self.backoff = backoff or Backoff()
        self.is_auth_error = is_auth_error
        self.last_id = ""
        self.state = OFF

    def _set(self, state: str, retry_in: float | None = None) -> None:
        self.state = state
        self.on_state(state, retry_in)

    async def run(self) -> None:
        """Until cancelled, or until the backend says the token is no longer valid."""
        try:
            while True:
                self._set(CONNECTING)
                try:
                    async for event in self.source.events(self.last_id):
                        if event.id:
                            self.last_id = event.id
                        if event.type == "hello":
                            self.backoff.reset()
                            self._set(LIVE)
                            continue
                        self.on_event(event)
                except Exception as exc:
                    if self.is_auth_error(exc):
                        self._set(OFF)
                        return
                delay = self.backoff.next_delay()
                self._set(RETRYING, delay)
                await asyncio.sleep(delay)
        except asyncio.CancelledError:
            self._set(OFF)
            raise
