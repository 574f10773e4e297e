"""The demo's backend serves sign-in before it has built its other routes.

Importing the route modules is where FastAPI builds each route's validators: ~220 ms
of a ~600 ms boot on a quiet machine (1-3 s loaded), and `agent-console demo` waited
for all of it before it could sign in and show the agent. With a staged start the
server listens with the session routes only (health, sign-in, who am I) and builds
the others on a thread once the first sign-in is answered, or a request needs them,
or a second after it listens, whichever comes first (built beside the sign-in, they
slowed it from 70 to 160-200 ms: one GIL). Any other request waits until they are
in: it is answered late, never 404 for a route that is coming. An error building
them ends the server (as a failed start did), and what was held gets 503.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

SIGN_IN = "/api/v1/auth/login"
#: What the session router serves, from the first moment.
EARLY_PATHS = frozenset(
    f"/api/v1{path}" for path in ("/health", "/auth/login", "/auth/me", "/auth/logout")
)

#: Seconds from listening to building the routes when nothing asked for them earlier.
BUILD_LATEST = 1.0
FAILED = {"code": "unavailable", "message": "the server could not start; see its log"}


class StagedRoutes:
    """Whether the rest of the routes are in; used from the server's loop only, but
    for start(), whose thread reports back through the loop."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build = build
        self.open = False
        self.failed = False
        self._done: asyncio.Event | None = None
        self._start: Callable[[], None] | None = None

    def arm(self, loop: asyncio.AbstractEventLoop, on_failure: Callable[[], object]) -> None:
        """The server listens: build after the first sign-in, at the first request that
        needs the routes, or after BUILD_LATEST seconds, whichever comes first."""
        self._start = lambda: self._begin(loop, on_failure)
        loop.call_later(BUILD_LATEST, self.begin)

    def begin(self) -> None:
        """Start building now (once; from the loop)."""
        start, self._start = self._start, None
        if start is not None:
            start()

    def _begin(self, loop: asyncio.AbstractEventLoop, on_failure: Callable[[], object]) -> None:
        def build() -> None:
            try:
                self._build()
            except BaseException:
                logging.getLogger("agent_console.server").exception("building the routes failed")
                loop.call_soon_threadsafe(self._finish, True)
                loop.call_soon_threadsafe(on_failure)
            else:
                loop.call_soon_threadsafe(self._finish, False)

        threading.Thread(target=build, name="routes", daemon=True).start()

    def _finish(self, failed: bool) -> None:
        self.open, self.failed = True, failed
        if self._done is not None:
            self._done.set()

    async def wait(self) -> None:
        if not self.open:
            self.begin()
            if self._done is None:
                self._done = asyncio.Event()
            await self._done.wait()


class RoutesGate:
    """ASGI middleware: a request outside EARLY_PATHS waits for the routes."""

    def __init__(self, app: ASGIApp, staged: StagedRoutes) -> None:
        self.app = app
        self.staged = staged

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        staged = self.staged
        held = not staged.open or staged.failed
        if held and scope["type"] in ("http", "websocket") and scope["path"] not in EARLY_PATHS:
            await staged.wait()
            if staged.failed:
                if scope["type"] == "http":
                    from starlette.responses import JSONResponse

                    response: Any = JSONResponse({"error": FAILED}, status_code=503)
                    await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
        if held and scope["path"] == SIGN_IN:
            staged.begin()
