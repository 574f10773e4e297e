"""Every error leaves the server as {"error": {"code", "message"[, "fields"]}}.

A database that is away answers 503 `database_unavailable` with Retry-After; any other
unexpected error 500 `internal`. Both are answered by `CatchAll`, inside the app's
middleware (so `X-Worker` and the like still tag them), and neither is raised on to
uvicorn: a re-raised error made it log "Exception in ASGI application" and close the
keep-alive connection, so the client's next request on it got no answer at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent_console.server.storage import (
    Conflict,
    IdempotencyMismatch,
    Invalid,
    InvalidTransition,
    NotFound,
    Unavailable,
    is_unavailable,
)

log = logging.getLogger("agent_console.server")

#: Seconds a client should wait before sending a request the database failed again.
RETRY_AFTER_S = 2

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "bad_json", "the request body is not valid JSON")
        fields = {_field_name(tuple(e["loc"])): str(e["msg"]) for e in errors}
        summary = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return error_response(422, "invalid", summary, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, "not_found", str(exc))

    @app.exception_handler(InvalidTransition)
    async def _transition(_: Request, exc: InvalidTransition) -> JSONResponse:
        return error_response(409, "invalid_transition", str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return error_response(409, "conflict", str(exc))

    @app.exception_handler(Invalid)
    async def _invalid_value(_: Request, exc: Invalid) -> JSONResponse:
        return error_response(422, "invalid", exc.message, {exc.field: exc.message})

    @app.exception_handler(IdempotencyMismatch)
    async def _idem(_: Request, exc: IdempotencyMismatch) -> JSONResponse:
        return error_response(422, "idempotency_key_reused", str(exc))

    @app.exception_handler(Unavailable)
    async def _unavailable(_: Request, exc: Unavailable) -> JSONResponse:
        return unavailable_response(exc)

    app.add_middleware(CatchAll)


UNAVAILABLE = {
    "code": "database_unavailable",
    "message": "the database is not available right now; try again in a moment",
}


def retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_S)}


class _OutageLog:
    """One warning line a second at most while the database is away (every failing
    request would otherwise log one), with the count of those left out."""

    def __init__(self, every: float = 1.0) -> None:
        self.every, self.next_at, self.quiet = every, 0.0, 0

    def __call__(self, exc: BaseException) -> None:
        now = time.monotonic()
        if now < self.next_at:
            self.quiet += 1
            return
        more = f" (and {self.quiet} more)" if self.quiet else ""
        log.warning("database unavailable: %s%s", _one_line(exc), more)
        self.next_at, self.quiet = now + self.every, 0


_log_outage = _OutageLog()


def unavailable_response(exc: BaseException) -> JSONResponse:
    """503: the database is away; a log line, no traceback (it is not a bug)."""
    _log_outage(exc)
    return error_response(503, UNAVAILABLE["code"], UNAVAILABLE["message"], headers=retry_after())


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


class CatchAll:
    """ASGI middleware: whatever a route raised and no handler took becomes a JSON
    answer here, and the connection stays usable. A database outage in the driver's
    own words (storage.is_unavailable) is a 503; anything else a 500 with its
    traceback in the log. An error after the response started cannot be answered:
    it goes on to uvicorn, which closes that connection."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise
            if is_unavailable(exc):
                response = unavailable_response(exc)
            else:
                log.exception("unhandled error", exc_info=exc)
                response = error_response(500, "internal", "internal server error")
            await response(scope, receive, send)
