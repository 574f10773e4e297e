"""The backend's event stream (SSE): one long GET, read event by event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from agent_console.client.base import API, ClientBase
from agent_console.client.errors import BackendUnavailable

if TYPE_CHECKING:
    from agent_console.sse import ServerEvent


class StreamCalls(ClientBase):
    async def events(
        self, last_event_id: str = "", read_timeout: float = 45.0
    ) -> AsyncIterator[ServerEvent]:
        """The backend's event stream (SSE), event by event, until it ends or fails.

        The server sends a comment line every 15 s of silence, so a stream that says
        nothing for `read_timeout` seconds is dead and ends in BackendUnavailable.
        """
        await self.loaded()
        import httpx

        from agent_console.sse import SseParser

        headers = self._auth_headers({"Accept": "text/event-stream", "Cache-Control": "no-cache"})
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        read, connect = self._timeout
        timeout = httpx.Timeout(read, connect=connect, read=read_timeout)
        try:
            async with self.http.stream(
                "GET", API + "/events", headers=headers, timeout=timeout
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    self._body(response)  # raises for a failure
                parser = SseParser()
                async for chunk in response.aiter_text():
                    for event in parser.feed(chunk):
                        yield event
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"the event stream went silent ({exc})") from exc
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"the event stream dropped ({exc})") from exc
