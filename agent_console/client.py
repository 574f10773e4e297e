"""The only place that speaks HTTP: one httpx.AsyncClient for the console's life.

Every response is decoded here and cleaned of control characters before any other
part of the console sees it. Failures come out as two kinds, because the console
treats them differently: `BackendUnavailable` (connect error, timeout, 5xx: try
again later, keep the agent working) and `BackendError` (the server refused the
request: explain it next to the field).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from agent_console import __version__, models
from agent_console.client_practice import PracticeCalls
from agent_console.text import clean, clean_tree

if TYPE_CHECKING:
    import httpx

    from agent_console.config import Settings
    from agent_console.events import ServerEvent
    from agent_console.models import (
        Agent,
        AgentStatus,
        Article,
        ArticleHit,
        Caller,
        Category,
        Guide,
        Hotline,
        KbFlag,
        Listing,
        LoopTicket,
        MissedCall,
        OutboundCall,
        Script,
        SearchPage,
        Sms,
        Station,
        Ticket,
        Unmasked,
    )

API = "/api/v1"
log = logging.getLogger("agent_console.client")


class BackendUnavailable(Exception):
    """The backend could not be reached or failed (5xx, a 503 during a database outage
    included); the request may be retried, not sooner than `retry_after` seconds."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds (the delay form; a date or junk: None)."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 86400 else None


class BackendError(Exception):
    """The backend answered and refused the request (4xx)."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}


class Unauthorized(BackendError):
    """401: no token, or it expired or was revoked."""


def refusal(status: int, body: Any) -> BackendError:
    """The backend's {"error": {code, message, fields}} as the exception to raise."""
    err = body.get("error", {}) if isinstance(body, dict) else {}
    err = err if isinstance(err, dict) else {}
    cls = Unauthorized if status == 401 else BackendError
    fields = err.get("fields") or {}
    return cls(
        status,
        str(err.get("code", "error")),
        str(err.get("message", f"HTTP {status}")),
        {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {},
    )


def _failure(status: int, response: httpx.Response) -> str:
    """What a 5xx says: the server's own message when it sent one (a 503 names the
    database outage), else the status."""
    try:
        body = response.json()
        message = str(body["error"]["message"]) if isinstance(body, dict) else ""
    except (ValueError, KeyError, TypeError):
        message = ""
    message = clean(message)[:200]
    return f"the backend failed ({status}{': ' + message if message else ''})"


class BackendClient(PracticeCalls):
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
        self.on_reachability = on_reachability
        # Told when a request that carried the token gets 401 (expired or revoked), so
        # the console can ask for the password once, centrally, over whatever screen.
        self.on_unauthorized = on_unauthorized
        self._last_reachable: bool | None = None

    @classmethod
    def from_settings(cls, settings: Settings, token: str | None = None) -> BackendClient:
        """The client as the config says: URL, timeouts, and TLS verification (a CA
        bundle, or the system's CAs) for every request, the event stream included."""
        from agent_console.config import verify_setting

        backend = settings.backend
        return cls(
            backend.url,
            token,
            timeout=backend.timeout,
            connect_timeout=backend.connect_timeout,
            verify=verify_setting(settings),
        )

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            import ssl

            import httpx  # ~70 ms: paid on the first request, not at start-up

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
                limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
                transport=self._transport,
            )
        return self._http

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
        import httpx

        hdrs = dict(headers or {})
        if auth and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
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
        if response.status_code >= 500:
            self._reachable(False)
            raise BackendUnavailable(
                _failure(response.status_code, response),
                response.status_code,
                retry_after(response.headers.get("Retry-After")),
            )
        self._reachable(True)
        if response.status_code == 204 or not response.content:
            return None
        try:
            body = clean_tree(response.json())
        except ValueError as exc:
            raise BackendError(
                response.status_code, "bad_response", "the backend sent something that is not JSON"
            ) from exc
        if response.status_code >= 400:
            if response.status_code == 401 and "Authorization" in hdrs:
                self._token_refused(hdrs["Authorization"])
            raise refusal(response.status_code, body)
        return body

    async def _items(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        body = await self.request("GET", path, params=params)
        items = body.get("items", []) if isinstance(body, dict) else []
        return [i for i in items if isinstance(i, dict)]

    # -- session -------------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        return await self.request("GET", "/health", auth=False)

    async def login(self, agent_id: str, password: str) -> tuple[str, Agent]:
        body = await self.request(
            "POST", "/auth/login", json={"agent_id": agent_id, "password": password}, auth=False
        )
        return str(body["token"]), models.Agent.from_json(body["agent"])

    async def me(self) -> Agent:
        return models.Agent.from_json(await self.request("GET", "/auth/me"))

    async def logout(self) -> None:
        await self.request("POST", "/auth/logout")

    # -- lookup --------------------------------------------------------------------
    async def search_callers(self, q: str, limit: int = 20) -> list[Caller]:
        if self.practice_callers is not None:
            return list(self.practice_callers.find(q, limit).items)
        items = await self._items("/callers", {"q": q, "limit": limit})
        return [models.Caller.from_json(i) for i in items]

    async def get_caller(self, caller_id: int) -> Caller:
        if self.practice_callers is not None:
            return self._practice_card(caller_id)
        return models.Caller.from_json(await self.request("GET", f"/callers/{caller_id}"))

    async def create_caller(self, data: dict[str, Any]) -> Caller:
        return models.Caller.from_json(await self.request("POST", "/callers", json=data))

    async def search_directory(self, q: str, limit: int = 20) -> list[Listing]:
        items = await self._items("/directory", {"q": q, "limit": limit})
        return [models.Listing.from_json(i) for i in items]

    # -- knowledge and scripts -----------------------------------------------------
    async def search_kb(
        self, q: str, limit: int = 20, *, tag: str | None = None, hotline: str | None = None
    ) -> list[ArticleHit]:
        params: dict[str, Any] = {"q": q, "limit": limit}
        params.update({k: v for k, v in (("tag", tag), ("hotline", hotline)) if v})
        items = await self._items("/kb/search", params)
        return [models.ArticleHit.from_json(i) for i in items]

    async def get_article(self, article_id: int) -> Article:
        return models.Article.from_json(await self.request("GET", f"/kb/articles/{article_id}"))

    async def scripts(
        self, hotline: str | None = None, language: str | None = None
    ) -> list[Script]:
        params = {k: v for k, v in (("hotline", hotline), ("language", language)) if v}
        return [models.Script.from_json(i) for i in await self._items("/scripts", params)]

    async def categories(self) -> list[Category]:
        return [models.Category.from_json(i) for i in await self._items("/ticket-categories")]

    async def stations(self) -> list[Station]:
        return [models.Station.from_json(i) for i in await self._items("/stations")]

    # -- tickets -------------------------------------------------------------------
    async def create_ticket(self, data: dict[str, Any], idempotency_key: str) -> Ticket:
        body = await self.request(
            "POST",
            "/tickets",
            json=self._practice_body(data),
            headers={"Idempotency-Key": idempotency_key},
        )
        return models.Ticket.from_json(body)

    async def list_tickets(
        self, caller_id: int | None = None, status: str | None = None
    ) -> list[Ticket]:
        params = {k: v for k, v in (("caller_id", caller_id), ("status", status)) if v is not None}
        return [models.Ticket.from_json(i) for i in await self._items("/tickets", params)]

    async def update_ticket(self, ticket_id: int, changes: dict[str, Any]) -> Ticket:
        return models.Ticket.from_json(
            await self.request("PATCH", f"/tickets/{ticket_id}", json=changes)
        )

    # -- SMS -----------------------------------------------------------------------
    async def send_sms(
        self,
        text: str,
        *,
        caller_id: int | None = None,
        to: str = "",
        kind: str = "other",
        ref: str = "",
        practice: bool = False,
    ) -> Sms:
        body = {
            "caller_id": caller_id,
            "to": to,
            "text": text,
            "kind": kind,
            "ref": ref,
            "area": "practice" if practice else "production",
        }
        body = self._practice_body(body, "to")
        return models.Sms.from_json(await self.request("POST", "/sms", json=body))

    async def list_sms(self, caller_id: int | None = None) -> list[Sms]:
        params = {"caller_id": caller_id} if caller_id is not None else None
        return [models.Sms.from_json(i) for i in await self._items("/sms", params)]

    # -- lookup pages, unmasking, the event stream (issue 3) -----------------------
    async def find_callers(self, q: str, limit: int = 20) -> SearchPage[Caller]:
        """Hits and whether the search stopped at the backend's time budget."""
        if self.practice_callers is not None:
            return self.practice_callers.find(q, limit)
        body = await self.request("GET", "/callers", params={"q": q, "limit": limit})
        return models.SearchPage.from_json(body, models.Caller.from_json)

    async def find_listings(self, q: str, limit: int = 20) -> SearchPage[Listing]:
        body = await self.request("GET", "/directory", params={"q": q, "limit": limit})
        return models.SearchPage.from_json(body, models.Listing.from_json)

    async def unmask_caller(self, caller_id: int, reason: str = "") -> Unmasked:
        """The full phone and ID number; the backend writes who asked to its audit log."""
        if self.practice_callers is not None:
            return self._practice_unmask(caller_id)
        body = await self.request("POST", f"/callers/{caller_id}/unmask", json={"reason": reason})
        return models.Unmasked.from_json(body)

    async def events(
        self, last_event_id: str = "", read_timeout: float = 45.0
    ) -> AsyncIterator[ServerEvent]:
        """The backend's event stream (SSE), event by event, until it ends or fails.

        The server sends a comment line every 15 s of silence, so a stream that says
        nothing for `read_timeout` seconds is dead and ends in BackendUnavailable.
        """
        import httpx

        from agent_console.events import SseParser

        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
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
                    self._raise_for(response)
                parser = SseParser()
                async for chunk in response.aiter_text():
                    for event in parser.feed(chunk):
                        yield event
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"the event stream went silent ({exc})") from exc
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"the event stream dropped ({exc})") from exc

    def _raise_for(self, response: httpx.Response) -> None:
        """Turn a failed response into the console's two kinds of failure."""
        if response.status_code >= 500:
            raise BackendUnavailable(
                f"the backend failed ({response.status_code})", response.status_code
            )
        try:
            body = clean_tree(response.json())
        except ValueError:
            body = {}
        if response.status_code == 401 and "Authorization" in response.request.headers:
            self._token_refused(response.request.headers["Authorization"])
        raise refusal(response.status_code, body)

    def _token_refused(self, sent: str) -> None:
        """A 401 for the token in use; one for a token already replaced (a request
        still in flight across a new sign-in) says nothing about the session now."""
        if sent != f"Bearer {self.token}":
            return
        log.warning("backend %s refused the token (401): the session has ended", self.base_url)
        if self.on_unauthorized is not None:
            self.on_unauthorized()

    # -- guided scripts, hotlines, knowledge-base flags and editing (issue 4) --------
    async def hotlines(self) -> list[Hotline]:
        return [models.Hotline.from_json(i) for i in await self._items("/hotlines")]

    async def guides(self, hotline: str | None = None) -> list[Guide]:
        params = {"hotline": hotline} if hotline else None
        return [models.Guide.from_json(i) for i in await self._items("/guides", params)]

    async def flag_article(self, article_id: int, reason: str, comment: str) -> KbFlag:
        body = {"reason": reason, "comment": comment}
        return models.KbFlag.from_json(
            await self.request("POST", f"/kb/articles/{article_id}/flags", json=body)
        )

    async def list_flags(self, status: str | None = "open") -> list[KbFlag]:
        params = {"status": status} if status else None
        return [models.KbFlag.from_json(i) for i in await self._items("/kb/flags", params)]

    async def create_article(self, data: dict[str, Any]) -> Article:
        return models.Article.from_json(await self.request("POST", "/kb/articles", json=data))

    async def update_article(self, article_id: int, changes: dict[str, Any]) -> Article:
        return models.Article.from_json(
            await self.request("PATCH", f"/kb/articles/{article_id}", json=changes)
        )

    # -- the closed loop, field stations, agent state (issue 5) ----------------------
    async def followups(self) -> list[LoopTicket]:
        """My tickets that still owe a callback, the earliest due first."""
        return [models.LoopTicket.from_json(i) for i in await self._items("/tickets/followups")]

    async def loop_ticket(self, ticket_id: int) -> LoopTicket:
        """One ticket with its history (who changed what, when)."""
        return models.LoopTicket.from_json(await self.request("GET", f"/tickets/{ticket_id}"))

    async def move_ticket(self, ticket_id: int, changes: dict[str, Any]) -> LoopTicket:
        """PATCH a ticket (status, note, satisfaction ...); BackendError 409 on an
        illegal move, 422 with fields for a missing value."""
        return models.LoopTicket.from_json(
            await self.request("PATCH", f"/tickets/{ticket_id}", json=changes)
        )

    async def set_state(
        self, state: str, reason: str = "", *, call_id: int | None = None, wrap_up: str = ""
    ) -> AgentStatus:
        body = {"state": state, "reason": reason, "call_id": call_id, "wrap_up": wrap_up}
        return models.AgentStatus.from_json(
            await self.request("PUT", "/agents/me/state", json=body)
        )

    # -- the call (issue 13; docs: /work/notes/CALL_CONTRACT.md) --------------------------
    async def answer_call(self, call_id: int) -> None:
        """Take a ringing call from the console (no handset); 409: a colleague has it."""
        await self.request("POST", f"/calls/{call_id}/answer")

    async def hang_up_call(self, call_id: int) -> None:
        """End my own call from the console (a phone system says so itself)."""
        await self.request("POST", f"/calls/{call_id}/hangup")

    async def outbound_call(
        self,
        caller_id: int | None,
        reason: str = "callback",
        ticket_id: int | None = None,
        *,
        missed_call_id: int | None = None,
    ) -> OutboundCall:
        """Record a call I place (a callback attempt) to a caller, or to the number of a
        missed call (`missed_call_id`, a caller nobody knows yet): its id and number."""
        body: dict[str, Any] = {"reason": reason}
        if caller_id is not None:
            body["caller_id"] = caller_id
        if missed_call_id is not None:
            body["call_id"] = missed_call_id
        if ticket_id is not None:
            body["ticket_id"] = ticket_id
        row = await self.request("POST", "/calls/outbound", json=body)
        call = models.OutboundCall.from_json(row) if isinstance(row, dict) else None
        if call is None or call.id <= 0:
            raise BackendError(200, "bad_answer", "the backend's answer names no call")
        return call

    async def call_result(self, call_id: int, reached: bool) -> None:
        """Say whether my outbound call reached the caller (one that did not is over)."""
        await self.request("POST", f"/calls/{call_id}/result", json={"reached": reached})

    async def missed_calls(self, limit: int = 50) -> list[MissedCall]:
        """The caller log: my hotline's calls nobody answered, newest first."""
        items = await self._items("/calls/missed", {"limit": limit})
        return [models.MissedCall.from_json(i) for i in items]

    async def agent_states(self) -> list[AgentStatus]:
        """Every seat's state (supervisors and mentors)."""
        return [models.AgentStatus.from_json(i) for i in await self._items("/agents/states")]
