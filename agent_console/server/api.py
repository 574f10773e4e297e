"""The ASGI application: routes under /api/v1, one error shape, OpenAPI at /openapi.json."""

from __future__ import annotations

import importlib
from types import ModuleType

from fastapi import FastAPI

from agent_console import __version__
from agent_console.server import errors, openapi_doc
from agent_console.server.access import check_routes
from agent_console.server.board_feed import BoardFeed
from agent_console.server.body_limit import BodyLimit
from agent_console.server.deps import ServerSettings
from agent_console.server.health import DatabaseProbe
from agent_console.server.hot_search import HotSearch
from agent_console.server.ring_timeout import RingTimeout
from agent_console.server.search_guard import AuditTrail, SearchLimiter
from agent_console.server.session_cache import SessionCache
from agent_console.server.shared_events import SharedEventBus, bus_for
from agent_console.server.storage import Storage

API_PREFIX = "/api/v1"

#: The route modules (agent_console/server/routes/), in the order their routes match.
ROUTE_MODULES = (
    "session",  # first: a staged start serves it alone at first (server/staged_start.py)
    "callers",
    "reference",
    "loop",  # before tickets: /tickets/followups is not /tickets/{id}
    "tickets",
    "messages",
    "calls",
    "call_actions",
    "cti",
    "audit",
    "board",
    "floor",  # after loop: /agents/me/state is not /agents/{id}/state
    "knowledge",
    "scripts",
    "practice",
    "quality",
    "reviews",
)


def route_modules() -> list[ModuleType]:
    """Imported here, not at the top: importing them builds the routes (~220 ms)."""
    package = "agent_console.server.routes"
    return [importlib.import_module(f"{package}.{name}") for name in ROUTE_MODULES]


def create_app(
    storage: Storage, settings: ServerSettings | None = None, *, staged: bool = False
) -> FastAPI:
    """`staged`: serve the session routes at once and the others once the server's
    start() has built them (server/staged_start.py; the demo's backend)."""
    app = FastAPI(
        title="agent-console backend",
        version=__version__,
        description="Reference backend for the agent-console hotline console (API v1).",
    )
    app.state.storage = storage
    app.state.settings = settings or ServerSettings()
    app.state.events = bus_for(storage)  # in memory on SQLite, shared on PostgreSQL
    # The wallboard's `board` events, from what the bus is told changed.
    app.state.events.board = BoardFeed(
        storage, app.state.events, app.state.settings.service_level_s
    ).start()
    # Calls whose hangup the phone system lost stop ringing (server/ring_timeout.py).
    app.state.ring_timeout = RingTimeout(
        storage, app.state.events, app.state.settings.ring_timeout_s
    ).start()
    app.state.search_limiter = SearchLimiter(app.state.settings.search_budget)
    # One process serves a SQLite file, so a sign-out counts at once in its cache. A
    # PostgreSQL centre is several processes (workers, or servers behind a balancer):
    # a sign-out reaches every one's cache through the shared bus, and a process whose
    # listener is not caught up answers nothing from memory (server/shared_events.py).
    bus = app.state.events
    fresh = bus.caught_up if isinstance(bus, SharedEventBus) else None
    app.state.sessions = SessionCache(app.state.settings.session_ttl_s, fresh=fresh)
    bus.sessions = app.state.sessions
    app.state.search_audit = AuditTrail(storage, app.state.settings.search_budget.flush_s)
    app.state.probe = DatabaseProbe(storage)  # what /health says of the database
    # The lookups' searches before FastAPI's machinery (server/hot_search.py); added
    # first, so inside errors.CatchAll and, when staged, behind the routes' gate.
    app.add_middleware(HotSearch, prefix=API_PREFIX)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=app.state.settings.max_body_bytes)
    if staged:
        from agent_console.server.routes import session
        from agent_console.server.staged_start import RoutesGate, StagedRoutes

        app.include_router(session.router, prefix=API_PREFIX)
        app.state.staged = StagedRoutes(lambda: include_routes(app, after_first=True))
        app.add_middleware(RoutesGate, staged=app.state.staged)
    else:
        include_routes(app)
    openapi_doc.install(app)
    return app


def include_routes(app: FastAPI, *, after_first: bool = False) -> None:
    """Every route (`after_first`: all but the first module's, already in), each with
    its access rule checked."""
    modules = route_modules()
    check_routes(module.router for module in modules)  # every route has an access rule
    for module in modules[1 if after_first else 0 :]:
        app.include_router(module.router, prefix=API_PREFIX)
