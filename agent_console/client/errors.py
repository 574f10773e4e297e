"""The console's two kinds of backend failure, and the one way a response becomes one.

`BackendUnavailable` (connect error, timeout, 5xx: try again later, keep the agent
working) and `BackendError` (the server refused the request: explain it next to the
field) are treated differently everywhere, so every response goes through `failure()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from agent_console.text import clean

if TYPE_CHECKING:
    import httpx


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


class BackendError(Exception):
    """The backend answered and refused the request (4xx)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.retry_after = retry_after  # a 429's Retry-After: the same request then passes


class Unauthorized(BackendError):
    """401: no token, or it expired or was revoked."""


def retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds (the delay form; a date or junk: None)."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 86400 else None


def _dict(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def refusal(status: int, body: object, wait: str | None = None) -> BackendError:
    """The backend's {"error": {code, message, fields}} as the exception to raise, with
    the Retry-After (`wait`) of a request refused for now (429)."""
    err = _dict(_dict(body).get("error"))
    cls = Unauthorized if status == 401 else BackendError
    fields = _dict(err.get("fields"))
    return cls(
        status,
        str(err.get("code", "error")),
        str(err.get("message", f"HTTP {status}")),
        {str(k): str(v) for k, v in fields.items()},
        retry_after(wait) if status == 429 else None,
    )


def server_failure(response: httpx.Response) -> BackendUnavailable:
    """A 5xx as the exception to raise: the server's own message when it sent one (a
    503 names the database outage), else the status; with its Retry-After."""
    status = response.status_code
    try:
        message = str(_dict(_dict(response.json())["error"])["message"])
    except (ValueError, KeyError, TypeError):
        message = ""
    message = clean(message)[:200]
    return BackendUnavailable(
        f"the backend failed ({status}{': ' + message if message else ''})",
        status,
        retry_after(response.headers.get("Retry-After")),
    )
