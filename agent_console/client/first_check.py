"""The token and its first check with the backend, begun before Textual loads.

Most of the console's start is importing Textual and drawing the first screen, on
one core; the keyring (~200 ms here without a Secret Service) and the backend's
answer to /auth/me need little of this process's CPU. So `cmd_console` starts them
on a thread first and the App takes the answer at its first paint (or awaits it
after): the agent's number is on the first screen, not a round trip after it
(`python -m bench startup`). The request is one HTTP/1.0 GET on a socket (HTTPS:
the standard library's http.client; it and its email parser cost ~13 ms to import,
httpx 70-150 ms, which loads after the paint with the rest of the console's
requests). With a proxy in the environment the thread only looks the token up: the
App then checks it with httpx, which honours the proxy.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, cast

from agent_console import __version__
from agent_console.client.errors import BackendUnavailable, refusal
from agent_console.text import clean_tree

if TYPE_CHECKING:
    import ssl

    from agent_console.config import Settings
    from agent_console.models.agent import Agent

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


class FirstCheck:
    """The token (environment, else keyring) and the agent it belongs to, from a thread."""

    def __init__(self) -> None:
        self.token_found: Future[str | None] = Future()
        self.agent_found: Future[Agent | None] = Future()
        #: The token comes with the agent, from a sign-in (the demo's): the App starts
        #: without one and takes it with the agent.
        self.signs_in = False

    @classmethod
    def begin(cls, settings: Settings) -> FirstCheck:
        """Look the token up and check it, on a thread of its own (daemon: a console
        that ends meanwhile does not wait for it)."""
        check = cls()
        thread = threading.Thread(
            target=check._run, args=(settings,), name="first-token-check", daemon=True
        )
        thread.start()
        return check

    @classmethod
    def known(cls, token: str, agent: Agent) -> FirstCheck:
        """A token the backend has just given with its agent (the demo's sign-in)."""
        check = cls()
        check.token_found.set_result(token)
        check.agent_found.set_result(agent)
        return check

    @classmethod
    def sign_in(cls, sign_in: Callable[[], tuple[str, Agent]]) -> FirstCheck:
        """`sign_in()` on a thread of its own: the demo's, which waits for the backend it
        has just launched (~0.5-1 s) while this process loads and paints the console.
        Its errors are the check's (the App ends, the demo says why)."""
        check = cls()
        check.signs_in = True

        def run() -> None:
            try:
                token, agent = sign_in()
            except BaseException as exc:
                check.token_found.set_exception(exc)
                check.agent_found.set_exception(exc)
            else:
                check.token_found.set_result(token)
                check.agent_found.set_result(agent)

        threading.Thread(target=run, name="first-sign-in", daemon=True).start()
        return check

    def failure(self) -> BaseException | None:
        """What the check failed with, if it has failed (never waits)."""
        found = self.agent_found
        return found.exception() if found.done() else None

    def token(self) -> str | None:
        """The token, waiting for the lookup if needed (the App needs it before its
        first screen: no token, the sign-in form)."""
        return self.token_found.result()

    def agent_now(self) -> Agent | None:
        """The checked agent if the answer is already in, else None (never waits)."""
        found = self.agent_found
        if found.done() and found.exception() is None:
            return found.result()
        return None

    async def agent(self) -> Agent | None:
        """The agent the token belongs to; None when the App must ask itself (a proxy).
        Raises Unauthorized (401), BackendUnavailable, BackendError, like client.me()."""
        return await asyncio.wrap_future(self.agent_found)

    def _run(self, settings: Settings) -> None:
        from agent_console import auth

        try:
            token, _source = auth.token_for(settings.backend.url)
        except BaseException as exc:  # the App's own start reports it
            self.token_found.set_exception(exc)
            self.agent_found.set_exception(exc)
            return
        self.token_found.set_result(token)
        try:
            agent = self._me(settings, token) if token and not _proxied() else None
        except BaseException as exc:
            self.agent_found.set_exception(exc)
        else:
            self.agent_found.set_result(agent)

    def _me(self, settings: Settings, token: str) -> Agent:
        """GET /api/v1/auth/me as the client sends it; its answer as client.me() gives it."""
        from urllib.parse import urlsplit

        from agent_console.client.base import API
        from agent_console.models.agent import Agent

        backend = settings.backend
        url = urlsplit(backend.url.rstrip("/"))
        timeout = backend.connect_timeout + backend.timeout
        headers = {
            "Authorization": f"Bearer {token}",
            "User-Agent": f"agent-console/{__version__}",
            "Accept": "application/json",
        }
        target = url.path + API + "/auth/me"
        try:
            if url.scheme == "https":
                status, raw = _get_tls(settings, target, headers, timeout)
            else:
                status, raw = _get_plain(
                    url.hostname or "", url.port or 80, target, headers, timeout
                )
        except OSError as exc:
            raise BackendUnavailable(f"cannot reach the backend at {backend.url} ({exc})") from exc
        if status >= 500:
            raise BackendUnavailable(f"the backend failed (HTTP {status})", status)
        try:
            body = clean_tree(json.loads(raw)) if raw else None
        except ValueError:
            body = None
        if status >= 400 or not isinstance(body, dict):
            raise refusal(status if status >= 400 else 502, body)
        return Agent.from_json(cast("dict[str, Any]", body))


def _get_plain(
    host: str, port: int, target: str, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    """One GET in HTTP/1.0 over a socket: the answer comes unchunked and the server
    closes, so the body is all that follows the headers. http.client (and the email
    package it parses headers with) cost ~13 ms to import on this thread, which takes
    its turns beside Textual's import: a tenth of what the console adds to a bare
    Textual app's start."""
    import socket

    if any(c in value for value in (target, *headers.values()) for c in "\r\n"):
        raise ValueError("a line break in a request header")  # as http.client refuses
    lines = [f"GET {target} HTTP/1.0", f"Host: {f'[{host}]' if ':' in host else host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    chunks: list[bytes] = []
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, blank, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].split(b" ", 2)
    if (
        not blank
        or len(status) < 2
        or not status[0].startswith(b"HTTP/")
        or not status[1].isdigit()
    ):
        raise ConnectionError(f"not an HTTP answer: {head[:40]!r}")
    return int(status[1]), body


def _get_tls(
    settings: Settings, target: str, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    """The same over HTTPS, with http.client (ssl costs more than it anyway)."""
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(settings.backend.url.rstrip("/"))
    conn = http.client.HTTPSConnection(
        url.hostname or "", url.port, timeout=timeout, context=_tls_context(settings)
    )
    try:
        conn.request("GET", target, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except http.client.HTTPException as exc:
        raise ConnectionError(str(exc)) from exc
    finally:
        conn.close()


def _proxied() -> bool:
    return any(os.environ.get(v) or os.environ.get(v.upper()) for v in PROXY_VARIABLES)


def _tls_context(settings: Settings) -> ssl.SSLContext:
    """The verification the client's httpx connection uses (client/base.py)."""
    import ssl

    from agent_console.config import verify_setting

    verify = verify_setting(settings)
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    if verify:  # as httpx does it: the environment's bundle, else certifi's
        if cafile := os.environ.get("SSL_CERT_FILE"):
            return ssl.create_default_context(cafile=cafile)
        if capath := os.environ.get("SSL_CERT_DIR"):
            return ssl.create_default_context(capath=capath)
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
