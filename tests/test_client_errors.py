"""One path from a response to what the console sees (agent_console/client/base.py):
the plain requests and the event stream fail the same way.

A mock transport, because the real server never sends these: a 4xx without a body, a
503 with a Retry-After on the event stream, a 401 to the stream for the token in use.
"""

from __future__ import annotations

import httpx
import pytest

from agent_console.client import BackendClient, BackendError, BackendUnavailable, Unauthorized

DOWN = {"error": {"code": "database_unavailable", "message": "the database is unreachable"}}


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/auth/me":
        return httpx.Response(404)  # no body at all
    if request.headers.get("Authorization") == "Bearer revoked":
        return httpx.Response(401, json={"error": {"code": "unauthorized", "message": "no"}})
    return httpx.Response(503, json=DOWN, headers={"Retry-After": "7"})


def client(token: str = "t", ended: list[bool] | None = None) -> BackendClient:
    c = BackendClient("http://backend.test", token, transport=httpx.MockTransport(answer))
    c.on_unauthorized = lambda: (ended if ended is not None else []).append(True)
    return c


async def test_a_refusal_without_a_body_is_still_a_refusal() -> None:
    c = client()
    try:
        with pytest.raises(BackendError) as refused:
            await c.me()
        assert (refused.value.status, refused.value.code) == (404, "error")
    finally:
        await c.aclose()


async def test_the_event_stream_fails_as_a_request_does() -> None:
    c = client()
    try:
        with pytest.raises(BackendUnavailable) as plain:
            await c.followups()
        with pytest.raises(BackendUnavailable) as stream:
            async for _ in c.events():
                pass
        for failure in (plain.value, stream.value):
            assert (failure.status, failure.retry_after) == (503, 7.0)
            assert "the database is unreachable" in failure.message
    finally:
        await c.aclose()


async def test_a_401_on_the_stream_ends_the_session_once() -> None:
    ended: list[bool] = []
    c = client("revoked", ended)
    try:
        with pytest.raises(Unauthorized):
            async for _ in c.events():
                pass
        assert ended == [True]
    finally:
        await c.aclose()
