"""Helpers of the several-workers tests: clients pinned to a worker, event streams
read by a thread, and waiting for processes to go."""

from __future__ import annotations

import json
import queue
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API

WORKERS = ["--workers", "2", "--simulated-calls", "--events-heartbeat", "1"]


def worker_of(response: httpx.Response) -> str:
    return response.headers["x-worker"].split(":")[0]


def pid_of(response: httpx.Response) -> int:
    return int(response.headers["x-worker"].split(":")[1])


def gone(pid: int) -> bool:
    """Not running (a zombie nobody reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"


def wait_until(check: Any, timeout: float = 15.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or check}")


class Seat:
    """Signed-in HTTP clients, one kept-alive connection per worker."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.on: dict[str, httpx.Client] = {}
        self.pid: dict[str, int] = {}
        self.pin()

    def pin(self) -> Seat:
        """Hold a fresh connection on each worker. Call it right before the requests
        that must land on a given worker: the server closes a connection idle for 5 s
        and the client's next request may then reach the other worker."""
        for worker, client in list(self.on.items()):
            if worker_of(client.get("/auth/me")) != worker:
                client.close()
                del self.on[worker]
        for _ in range(200):
            if len(self.on) == 2:
                return self
            client = self._client()
            r = client.get("/auth/me")
            r.raise_for_status()
            if worker_of(r) in self.on:
                client.close()
                continue
            self.on[worker_of(r)], self.pid[worker_of(r)] = client, pid_of(r)
        raise AssertionError(f"200 connections never reached both workers: {list(self.on)}")

    def _client(self) -> httpx.Client:
        auth = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.url + API, headers=auth, timeout=15)

    @property
    def workers(self) -> list[str]:
        return sorted(self.on)

    def close(self) -> None:
        for client in self.on.values():
            client.close()


class Stream:
    """One open `GET /events`, read by a thread into a queue of parsed events."""

    def __init__(self, url: str, token: str, last_event_id: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.client = httpx.Client(timeout=httpx.Timeout(15, read=30))
        self._cm = self.client.stream("GET", url + API + "/events", headers=headers)
        self.response = self._cm.__enter__()
        self.response.raise_for_status()
        self.worker, self.pid = worker_of(self.response), pid_of(self.response)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event: dict[str, Any] = {}
        try:
            for line in self.response.iter_lines():
                if not line:
                    if "type" in event:
                        self.events.put(event)
                    event = {}
                elif line.startswith("id: "):
                    event["id"] = line[4:]
                elif line.startswith("event: "):
                    event["type"] = line[7:]
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
        except (httpx.HTTPError, RuntimeError, ValueError):
            pass  # closed by the test

    def next(self, timeout: float = 10.0) -> dict[str, Any]:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s on worker {self.worker}") from None

    def close(self) -> None:
        self.client.close()


def stream_on(
    backend: EmbeddedBackend, token: str, worker: str, last_event_id: str | None = None
) -> Stream:
    """A stream served by `worker` (new connections until one lands there)."""
    for _ in range(200):
        stream = Stream(backend.url, token, last_event_id)
        if stream.worker == worker:
            return stream
        stream.close()
    raise AssertionError(f"no stream landed on worker {worker}")


def back_on(backend: EmbeddedBackend, token: str, worker: str, old_pid: int, since: str) -> Stream:
    """A stream (resuming after `since`) on `worker` once a new process serves it."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            stream = Stream(backend.url, token, since)
        except httpx.HTTPError:
            time.sleep(0.05)
            continue
        if stream.worker == worker and stream.pid != old_pid:
            return stream
        stream.close()
        time.sleep(0.05)
    raise AssertionError(f"worker {worker} was not restarted")
