"""One account's real event stream (GET /events), read on a thread from before the test
acts: an event published before the stream opened would be missed. Every event is kept
in order; the tests wait for the one they need."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from agent_console.sse import SseParser


class EventTap:
    """`with EventTap(client) as tap:` opens the stream (waits for its hello) and, on
    leaving, closes it and the client."""

    def __init__(self, client: httpx.Client, opens_within: float = 15) -> None:
        self.client = client
        self.opens_within = opens_within
        self.seen: list[tuple[str, dict[str, Any]]] = []
        self.live = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> EventTap:
        self.thread.start()
        assert self.live.wait(self.opens_within), "the event stream did not open"
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()  # seen at the next event or heartbeat
        self.thread.join(5)
        self.client.close()

    def _read(self) -> None:
        try:
            self._follow()
        except httpx.TransportError:
            # __exit__ closes the client under a stream still waiting for its next
            # heartbeat; only a failure while the tap is still wanted is an error.
            if not self.done.is_set():
                raise

    def _follow(self) -> None:
        parser = SseParser()
        with self.client.stream("GET", "/events", timeout=httpx.Timeout(30)) as r:
            for chunk in r.iter_text():
                for event in parser.feed(chunk):
                    if event.type == "hello":
                        self.live.set()
                    else:
                        self.seen.append((event.type, event.data))
                if self.done.is_set():
                    return

    def of(self, kind: str) -> list[dict[str, Any]]:
        """The data of every `kind` event so far, in order."""
        return [d for t, d in list(self.seen) if t == kind]

    def first(
        self, what: str, check: Callable[[str, dict[str, Any]], bool], timeout: float = 15
    ) -> dict[str, Any]:
        """The first event `check(type, data)` accepts, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            for kind, data in list(self.seen):
                if check(kind, data):
                    return data
            assert time.monotonic() < deadline, f"no {what}: {self.seen}"
            time.sleep(0.02)
