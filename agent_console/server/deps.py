"""Request dependencies: the storage, and the agent behind the bearer token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from fastapi import Depends, Header, Request

from agent_console.server.clock import now_iso
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import EventBus
from agent_console.server.reads import read
from agent_console.server.search_guard import SearchBudget
from agent_console.server.security import token_hash
from agent_console.server.session_cache import SESSION_TTL_S
from agent_console.server.storage import Storage
from agent_console.server.throttle import LoginThrottle


@dataclass(frozen=True)
class ServerSettings:
    token_ttl_hours: float = 12.0  # one shift
    # Agents may place simulated calls to themselves (demo); supervisors always may.
    simulated_calls: bool = False
    events_heartbeat: float = 15.0  # seconds of silence before an SSE comment line
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)
    # The secret in the phone system's URL (POST /api/v1/cti/{token}); "": no CTI.
    cti_token: str = field(default="", repr=False)
    # Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR blocks).
    trusted_proxies: tuple[str, ...] = ()
    max_body_bytes: int = 1024 * 1024  # larger request bodies get 413 before parsing
    search_budget: SearchBudget = field(default_factory=SearchBudget)
    # The wallboard's service level: answered within this many seconds (--service-level-s).
    service_level_s: float = 20.0
    # A call ringing this long with no answer and no hangup ends as missed (--ring-timeout-s).
    ring_timeout_s: float = 120.0
    # Seconds a process trusts a session it read (server/session_cache.py); 0: never.
    session_ttl_s: float = SESSION_TTL_S


# The dependencies that only read an attribute are `async def`: FastAPI runs a plain
# `def` dependency in its thread pool, a hand-off to a thread and back per dependency
# per request (py-spy under bench/centre: a sixth of the server's CPU went to the
# thread pool's hand-offs, four per search). Only a database read goes to a thread.
async def get_storage(request: Request) -> Storage:
    return request.app.state.storage


async def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def current_agent(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    """The signed-in agent; 401 for a missing, unknown, expired or revoked token.

    Called through server/reads.py: on PostgreSQL in the thread pool, because while the
    database is away the read waits for a connection (up to the pool's timeout), and on
    the event loop that wait froze the whole worker, /health and every open event
    stream included; on SQLite on the loop, where a read waits for nothing. The access
    check (server/access.py) looks the agent up first; the route reuses it.
    """
    known = getattr(request.state, "agent", None) or cached_agent(request, authorization)
    if known is not None:
        return known
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiError(401, "unauthorized", "sign in first: no bearer token", headers=_CHALLENGE)
    token = authorization[7:].strip()
    hashed = token_hash(token)
    sessions = request.app.state.sessions
    generation = sessions.generation  # before the read: a sign-out meanwhile wins
    agent = request.app.state.storage.session_agent(hashed, now_iso())
    if agent is None:
        raise ApiError(
            401,
            "invalid_token",
            "the session has expired or was revoked; sign in again",
            headers=_CHALLENGE,
        )
    sessions.put(hashed, agent, generation)
    request.state.token = token
    request.state.agent = agent
    return agent


def cached_agent(request: Request, authorization: str | None) -> dict[str, Any] | None:
    """The agent of a session read a moment ago (server/session_cache.py), without
    I/O, so on the event loop: None when it must be read (or refused) by current_agent."""
    if not authorization or not authorization.lower().startswith("bearer "):
        return None
    token = authorization[7:].strip()
    agent = request.app.state.sessions.get(token_hash(token), now_iso())
    if agent is not None:
        request.state.token = token
        request.state.agent = agent
    return agent


async def signed_in_agent(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    """current_agent for a route: the agent the access check (server/access.py) found,
    without a thread hand-off; the database read in the thread pool only where the
    check did not read it."""
    known = getattr(request.state, "agent", None) or cached_agent(request, authorization)
    if known is not None:
        return known
    return await read(request.app.state.storage, current_agent, request, authorization)


def admitted_agent(request: Request) -> dict[str, Any]:
    """The agent the access check (access.admit, every signed-in route's first
    dependency) found, for the hottest routes (the lookup's searches, one per keystroke,
    and the caller card) without a dependency of their own: FastAPI solves each declared
    dependency (its own header and parameters, a validation each) per request. AgentDep
    and StorageDep were two of a search's four, a tenth of the server's CPU per search
    in `solve_dependencies` (py-spy, PostgreSQL under bench/centre); called without a
    socket, an empty search took 217 us against /health's 84 us, most of the difference
    the dependency tree's. 401 if the access check did not run."""
    agent = getattr(request.state, "agent", None)
    if agent is None:  # a route without the access check: refuse rather than guess
        raise ApiError(401, "unauthorized", "sign in first", headers=_CHALLENGE)
    return cast(dict[str, Any], agent)


AgentDep = Annotated[dict[str, Any], Depends(signed_in_agent)]
StorageDep = Annotated[Storage, Depends(get_storage)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


def area_for(agent: dict[str, Any]) -> str:
    """Trainees live in the practice area; everyone else reads production."""
    return "practice" if agent["role"] == "trainee" else "production"


async def get_bus(request: Request) -> EventBus:
    """The server's event bus: publish here what open consoles should hear about."""
    return request.app.state.events


BusDep = Annotated[EventBus, Depends(get_bus)]
