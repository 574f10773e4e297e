"""The connection every area of the client shares: one httpx.AsyncClient for the
console's life, the token, and the one path from a response to its body or failure.

Every response is decoded here and cleaned of control characters before any other
part of the console sees it; failures come out as the two kinds in `errors`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from agent_console import __version__
from agent_console.client.errors import (
    BackendError,
    BackendUnavailable,
    refusal,
    server_failure,
)
from agent_console.text import clean_tree

if TYPE_CHECKING:
    import httpx

    from agent_console.practice.callers import PracticeCallers

# httpx's package loads its command-line tool when click and pygments are installed (the
# backend's extras bring them): ~19 ms of the console's first request, before the first
# lookup an agent types, for a tool it never runs. Marked absent here, `import httpx`
# takes its own fallback (a stub `main`); the console imports httpx only after this.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

API = "/api/v1"
#: Seconds an idle connection to the backend is kept. httpx's default (5 s) is shorter
#: than an agent's pause between calls (8-10 s at a 114 desk), so a lookup after a pause
#: opened a new connection (and behind TLS a new handshake) unless a health check had
#: just kept it. Shorter than the server's (server/runner.py KEEP_ALIVE_S, 65 s): the
#: console must be the one that closes, or it may reuse one the server is closing.
KEEPALIVE_S = 55.0
log = logging.getLogger("agent_console.client")


class ClientBase:
    """The connection and `request()`; the area mixins (callers, tickets ...) build on it."""

    # Set in practice mode (PracticeDesk): callers are then looked up among the
    # scenarios' callers, never the backend's production callers (issue 14).
    practice_callers: PracticeCallers | None = None

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 5.0,
        connect_timeout: float = 2.0,
        verify: bool | str = True,
        on_reachability: Callable[[bool], None] | None = None,
        on_unauthorized: Callable[[], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._timeout = (timeout, connect_timeout)
        self._verify = verify
        self._transport = transport  # None: httpx's own; tests may wrap the real one
        self._http: httpx.AsyncClient | None = None
        self._httpx_loading: asyncio.Future[ModuleType] | None = None
        self.on_reachability = on_reachability
        # Told when a request that carried the token gets 401 (expired or revoked), so
        # the console can ask for the password once, centrally, over whatever screen.
        self.on_unauthorized = on_unauthorized
        self._last_reachable: bool | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            import ssl

            import httpx  # imported on a thread by loaded() before the first request

            read, connect = self._timeout
            # Plain http never uses TLS; skipping the CA bundle load saves ~30 ms at start.
            verify: bool | ssl.SSLContext = False
            if self.base_url.startswith("https:"):
                verify = (
                    ssl.create_default_context(cafile=self._verify)
                    if isinstance(self._verify, str)
                    else self._verify
                )
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(read, connect=connect),
                verify=verify,
                headers={"User-Agent": f"agent-console/{__version__}"},
                limits=httpx.Limits(
                    max_connections=20, max_keepalive_connections=10, keepalive_expiry=KEEPALIVE_S
                ),
                transport=self._transport,
            )
        return self._http

    async def loaded(self) -> None:
        """httpx imported, on a thread the first time. Imported on the loop it held it for
        ~25-40 ms right after the first paint (the first requests: health, events), and
        the keys an agent types the moment their number shows waited behind it: the
        first key 25 -> 67 ms p50 once the console painted sooner (bench startup). On a
        thread the loop takes its turns meanwhile (the GIL is passed every 5 ms)."""
        if self._http is not None:
            return
        loading = self._httpx_loading
        if loading is None:
            loading = asyncio.ensure_future(asyncio.to_thread(import_module, "httpx"))
            self._httpx_loading = loading
        # Shielded: a search cancelled while it waits (exclusive workers) must not cancel
        # the import every other request is waiting for too.
        await asyncio.shield(loading)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _reachable(self, ok: bool) -> None:
        if ok != self._last_reachable:
            self._last_reachable = ok
            if ok:
                log.info("backend %s reachable", self.base_url)
            else:
                log.warning("backend %s unreachable", self.base_url)
        if self.on_reachability is not None:
            self.on_reachability(ok)

    def _auth_headers(self, headers: dict[str, str] | None = None) -> dict[str, str]:
        hdrs = dict(headers or {})
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        return hdrs

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """The cleaned JSON body (None for an empty one), or BackendUnavailable /
        BackendError."""
        await self.loaded()
        import httpx

        hdrs = self._auth_headers(headers) if auth else dict(headers or {})
        started = time.perf_counter()
        try:
            response = await self.http.request(
                method, API + path, params=params, json=json, headers=hdrs
            )
        except httpx.TimeoutException as exc:
            self._reachable(False)
            log.warning("%s %s: timed out (%s)", method, path, exc)
            raise BackendUnavailable(f"the backend did not answer in time ({exc})") from exc
        except httpx.TransportError as exc:
            self._reachable(False)
            log.warning("%s %s: %s", method, path, exc)
            raise BackendUnavailable(
                f"cannot reach the backend at {self.base_url} ({exc})"
            ) from exc
        if log.isEnabledFor(logging.DEBUG):
            took = (time.perf_counter() - started) * 1000
            log.debug("%s %s %s %s %.1f ms", method, path, params or "", response.status_code, took)
        if response.status_code >= 400:
            log.info("%s %s -> %s %s", method, path, response.status_code, response.text[:300])
        self._reachable(response.status_code < 500)
        return self._body(response)

    def _body(self, response: httpx.Response) -> Any:
        """The one path from a response to what the console sees: its cleaned JSON, or
        the failure it stands for (a 401 for the token in use ends the session)."""
        status = response.status_code
        if status >= 500:
            raise server_failure(response)
        body: Any = None
        if status != 204 and response.content:
            try:
                body = clean_tree(response.json())
            except ValueError as exc:
                raise BackendError(
                    status, "bad_response", "the backend sent something that is not JSON"
                ) from exc
        if status >= 400:
            sent = response.request.headers.get("Authorization")
            if status == 401 and sent is not None:
                self._token_refused(sent)
            raise refusal(status, body, response.headers.get("Retry-After"))
        return body

    def _token_refused(self, sent: str) -> None:
        """A 401 for the token in use; one for a token already replaced (a request
        still in flight across a new sign-in) says nothing about the session now."""
        if sent != f"Bearer {self.token}":
            return
        log.warning("backend %s refused the token (401): the session has ended", self.base_url)
        if self.on_unauthorized is not None:
            self.on_unauthorized()

    async def _items(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The JSON objects of a list answer's "items"."""
        body = await self.request("GET", path, params=params)
        items: Any = cast("dict[str, Any]", body).get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            return []
        return [cast("dict[str, Any]", i) for i in cast("list[Any]", items) if isinstance(i, dict)]
