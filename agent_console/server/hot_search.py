"""The lookups' searches, one per keystroke, answered before FastAPI's per-request
machinery when nothing about the request needs it.

Measured in one process (1,000,000 callers, address queries, bench/.cache's database):
through the FastAPI route a search took 557-575 us, through this path 408-428 us, and
/health 82-100 us; the search itself is ~260 us. The rest was FastAPI's: the dependency
tree solved per request (the access check, its header, the two query parameters, a
validation each), the route's response model, and the routing. Over loopback (httpx,
the bench's client) a search's median fell from 1.9-2.0x /health's to 1.6-1.7x.

The FastAPI routes stay the reference, the documentation and the answer to anything
out of the ordinary. This path answers only a request that route would answer the
same way: `GET` on the exact path, no root path, an `Authorization` the session cache
knows (deps.cached_agent, no I/O), a role the access table (access.POLICY) admits for
that route, `q` at most MAX_QUERY characters and `limit` written plainly (1 to
MAX_LIMIT, no sign, no leading zero), neither given twice. Anything else goes on to
FastAPI untouched, which answers it as ever: 401 (a token to read from the database, or
none), 403, 422. The answer itself is the route's (server/lookups.py): the same budget
and audit trail, the same response model, and an exception the route would raise is
answered by the app's own handler for it (429, 503) or left to errors.CatchAll.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from agent_console.server.access import POLICY, route_key
from agent_console.server.deps import cached_agent
from agent_console.server.lookups import ANSWERS, DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY, Answer
from agent_console.server.schemas.base import SearchItems

_ITEMS = TypeAdapter(SearchItems)
_PLAIN_NUMBER = re.compile(r"[1-9][0-9]*")


class HotSearch:
    """ASGI middleware inside errors.CatchAll (and the staged start's gate, when there
    is one): see the module's docstring. `answered` counts what it answered."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.routes: dict[str, tuple[Answer, frozenset[str]]] = {
            prefix + path: (answer, POLICY[route_key("GET", path)])
            for path, answer in ANSWERS.items()
        }
        self.answered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        response = None if route is None else await self._answer(scope, *route)
        if response is None:
            await self.app(scope, receive, send)
            return
        self.answered += 1
        await response(scope, receive, send)

    async def _answer(self, scope: Scope, answer: Answer, roles: frozenset[str]) -> Response | None:
        """The route's answer, or None: FastAPI's to give."""
        if scope["method"] != "GET" or scope.get("root_path"):
            return None
        params = _params(scope["query_string"])
        if params is None:
            return None
        request = Request(scope)
        agent = cached_agent(request, request.headers.get("authorization"))
        if agent is None or agent["role"] not in roles:
            return None
        try:
            found = await answer(request, agent, *params)
        except Exception as exc:  # as the route's: the app's handler for it, or CatchAll
            handler = _handler_for(scope["app"].exception_handlers, exc)
            if handler is None:
                raise
            if inspect.iscoroutinefunction(handler):
                return await handler(request, exc)  # type: ignore[no-any-return]
            return await run_in_threadpool(handler, request, exc)  # type: ignore[no-any-return]
        body = _ITEMS.dump_json(_ITEMS.validate_python(found))
        return Response(body, media_type="application/json")


def _params(query_string: bytes) -> tuple[str, int] | None:
    """`q` and `limit` when FastAPI would take them as they are, else None; read with
    Starlette's own QueryParams, as the route reads them."""
    params = QueryParams(query_string)
    q, limit = params.getlist("q"), params.getlist("limit")
    if len(q) > 1 or len(limit) > 1 or (q and len(q[0]) > MAX_QUERY):
        return None
    if not limit:
        return (q[0] if q else ""), DEFAULT_LIMIT
    if not _PLAIN_NUMBER.fullmatch(limit[0]) or len(limit[0]) > 3 or int(limit[0]) > MAX_LIMIT:
        return None
    return (q[0] if q else ""), int(limit[0])


def _handler_for(handlers: dict[Any, Any], exc: Exception) -> Any:
    """The app's handler for `exc`'s class or its nearest base, as Starlette's
    exception middleware looks it up (a handler for Exception itself is not its: that
    one is the server-error middleware's, outside CatchAll)."""
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None
