"""The ASGI application: routes under /api/v1, one error shape, OpenAPI at /openapi.json."""

from __future__ import annotations

from fastapi import FastAPI

from agent_console import __version__
from agent_console.server import errors
from agent_console.server.deps import ServerSettings
from agent_console.server.health import DatabaseProbe
from agent_console.server.routes import (
    audit,
    callers,
    calls,
    knowledge,
    loop,
    messages,
    practice,
    reference,
    scripts,
    session,
    tickets,
)
from agent_console.server.shared_events import bus_for
from agent_console.server.storage import Storage

API_PREFIX = "/api/v1"


def create_app(storage: Storage, settings: ServerSettings | None = None) -> FastAPI:
    app = FastAPI(
        title="agent-console backend",
        version=__version__,
        description="Reference backend for the agent-console hotline console (API v1).",
    )
    app.state.storage = storage
    app.state.settings = settings or ServerSettings()
    app.state.events = bus_for(storage)  # in memory on SQLite, shared on PostgreSQL
    app.state.probe = DatabaseProbe(storage)  # what /health says of the database
    errors.install(app)
    for module in (
        session,
        callers,
        reference,
        loop,  # before tickets: /tickets/followups is not /tickets/{id}
        tickets,
        messages,
        calls,
        audit,
        knowledge,
        scripts,
        practice,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
