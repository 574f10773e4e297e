"""The lookups' two searches (`GET /callers`, `GET /directory`) as the API answers them:
one body and one set of parameter bounds for the FastAPI routes (routes/callers.py,
routes/reference.py, the documented reference) and the fast path (server/hot_search.py)
that answers most of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request

from agent_console.server.reads import read
from agent_console.server.search_guard import guard_search
from agent_console.server.storage import Storage

MAX_QUERY = 100  # characters
MAX_LIMIT = 100  # hits
DEFAULT_LIMIT = 20

QueryText = Annotated[str, Query(max_length=MAX_QUERY)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]

#: A search's answer from the request, the admitted agent, the query and the limit.
Answer = Callable[[Request, dict[str, Any], str, int], Awaitable[dict[str, Any]]]


async def callers_answer(
    request: Request, agent: dict[str, Any], q: str, limit: int
) -> dict[str, Any]:
    """Spend one of the agent's searches (429 past the budget, a 7+ digit search on the
    audit trail), then search on the event loop where the engine can."""
    storage: Storage = request.app.state.storage
    guard_search(request, agent, q)
    found = await storage.search_callers_on_loop(q, limit)
    if found is None:
        found = await read(storage, storage.search_callers, q, limit)
    return {"items": found.items, "partial": found.partial}


async def directory_answer(
    request: Request, agent: dict[str, Any], q: str, limit: int
) -> dict[str, Any]:
    storage: Storage = request.app.state.storage
    found = await read(storage, storage.search_directory, q, limit)
    return {"items": found.items, "partial": found.partial}


#: The searches by route path (without the API prefix), as server/access.py names them.
ANSWERS: dict[str, Answer] = {"/callers": callers_answer, "/directory": directory_answer}
