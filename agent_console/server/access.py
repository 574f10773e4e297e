"""Who may call which route: the whole policy in one table, an allow-list.

Every route of API v1 has an entry `"METHOD /path"` (the path as the router declares it,
without /api/v1) naming the roles it admits; a role not named gets 403, and a route
without an entry makes the server refuse to start (`check_routes`, run by create_app),
so nothing is open by accident. Routes still make the finer, per-row checks (a trainee's
tickets are practice tickets, a station sees its own station's tickets, ...), but no
route is reached by a role this table does not name.

Every router adds the check once, uniformly: `APIRouter(..., dependencies=ADMIT)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.routing import APIRoute

from agent_console.server.deps import cached_agent, current_agent
from agent_console.server.errors import ApiError
from agent_console.server.reads import read

AGENT, TRAINEE, MENTOR, SUPERVISOR, STATION, WALL = (
    "agent",
    "trainee",
    "mentor",
    "supervisor",
    "station",
    "wall",
)
ROLES = frozenset({AGENT, TRAINEE, MENTOR, SUPERVISOR, STATION, WALL})

ANYONE = "anyone"  # not a role: no sign-in at all (health, sign-in)
PUBLIC = frozenset({ANYONE})
# The error code of this table's refusal (a route's own, finer 403s have their own codes).
REFUSED = "role_not_allowed"
EVERYONE = ROLES
# Production work (callers, production tickets, SMS): agents, and the mentors and
# supervisors who are agents too.
PRODUCTION = frozenset({AGENT, MENTOR, SUPERVISOR})
# Everyone at a console seat: the knowledge base, scripts, the public directory.
SEATS = PRODUCTION | {TRAINEE}
# Ticket routes: production agents, trainees (their practice area only, checked by the
# route) and field stations (their station's tickets only, checked by the route).
TICKETS = SEATS | {STATION}
MENTORS = frozenset({MENTOR, SUPERVISOR})
PRACTICE = MENTORS | {TRAINEE}
ONLY_TRAINEES = frozenset({TRAINEE})
ONLY_SUPERVISORS = frozenset({SUPERVISOR})
# The wallboard: supervisors, and a wall screen's own sign-in (which may do nothing else).
BOARD = frozenset({SUPERVISOR, WALL})

POLICY: dict[str, frozenset[str]] = {
    # session
    "GET /health": PUBLIC,
    "POST /auth/login": PUBLIC,
    "POST /auth/logout": EVERYONE,  # a wall screen too: session routes and the board only
    "GET /auth/me": EVERYONE,
    "GET /events": EVERYONE,  # each stream hears only what is addressed to it (wall: board)
    # production callers
    "GET /callers": PRODUCTION,
    "POST /callers": PRODUCTION,
    "GET /callers/{caller_id}": PRODUCTION,
    "POST /callers/{caller_id}/unmask": PRODUCTION,
    "POST /calls/simulate": PRODUCTION,
    "POST /calls/{call_id}/answer": PRODUCTION,
    "POST /calls/{call_id}/hangup": PRODUCTION,
    "POST /calls/{call_id}/result": PRODUCTION,
    "POST /calls/outbound": PRODUCTION,
    "GET /calls/missed": PRODUCTION,
    "GET /calls/current": PRODUCTION,
    "POST /cti/{token}": PUBLIC,  # the token in its path is the phone system's credential
    # reference data
    "GET /directory": SEATS,
    "GET /ticket-categories": TICKETS,  # a station reads the tickets it works
    "GET /stations": TICKETS,
    # tickets and the closed loop
    "POST /tickets": SEATS,  # trainees: practice area only (route)
    "GET /tickets": TICKETS,
    "GET /tickets/{ticket_id}": TICKETS,
    "PATCH /tickets/{ticket_id}": TICKETS,
    "GET /tickets/followups": SEATS,
    "GET /station/tickets": frozenset({STATION}),
    # SMS: trainees practice area only (route)
    "POST /sms": SEATS,
    "GET /sms": SEATS,
    # seats
    "PUT /agents/me/state": SEATS,
    "GET /agents/states": MENTORS,
    # supervisors' administration
    "GET /audit": ONLY_SUPERVISORS,
    "PATCH /agents/{agent_id}/role": ONLY_SUPERVISORS,
    # the wallboard (issue 16)
    "GET /wallboard": BOARD,
    # a supervisor's hand on every seat (issue 16); one's own floor messages: every seat
    "PUT /agents/{agent_id}/state": ONLY_SUPERVISORS,
    "POST /agents/{agent_id}/sign-out": ONLY_SUPERVISORS,
    "POST /agents/{agent_id}/messages": ONLY_SUPERVISORS,
    "GET /messages/unread": SEATS,
    "POST /messages/{message_id}/read": SEATS,
    "POST /tickets/{ticket_id}/reassign": ONLY_SUPERVISORS,
    # knowledge base
    "GET /kb/search": SEATS,
    "GET /kb/articles/{article_id}": SEATS,
    "POST /kb/articles/{article_id}/flags": SEATS,
    "POST /kb/articles": ONLY_SUPERVISORS,
    "PUT /kb/articles/{article_id}": ONLY_SUPERVISORS,
    "PATCH /kb/articles/{article_id}": ONLY_SUPERVISORS,
    "GET /kb/flags": ONLY_SUPERVISORS,
    "PATCH /kb/flags/{flag_id}": ONLY_SUPERVISORS,
    # scripts, guided scripts, hotlines
    "GET /scripts": SEATS,
    "GET /hotlines": SEATS,
    "GET /guides": SEATS,
    "GET /guides/{guide_id}": SEATS,
    "POST /scripts": ONLY_SUPERVISORS,
    "PATCH /scripts/{script_id}": ONLY_SUPERVISORS,
    "DELETE /scripts/{script_id}": ONLY_SUPERVISORS,
    "POST /guides": ONLY_SUPERVISORS,
    "PUT /guides/{guide_id}": ONLY_SUPERVISORS,
    # practice: a trainee's own, mentors everyone's (routes check whose)
    # trainees; and agents running a scenario assigned to them (coaching: the route
    # checks the assignment; mentors and supervisors are named so that an agent's
    # rights stay a subset of a supervisor's, and the route refuses them)
    "POST /practice/results": SEATS,
    "GET /practice/results": PRACTICE,
    "GET /practice/results/{result_id}": PRACTICE,
    "GET /practice/progress": PRACTICE,
    "GET /practice/compare": MENTORS,
    "POST /practice/hands": ONLY_TRAINEES,
    "GET /practice/hands": PRACTICE,
    "PATCH /practice/hands/{hand_id}": PRACTICE,
    "DELETE /practice/hands/{hand_id}": PRACTICE,
    "POST /practice/hints": MENTORS,
    "GET /practice/hints": PRACTICE,
    "PATCH /practice/hints/{hint_id}": ONLY_TRAINEES,
    "PUT /practice/activity": ONLY_TRAINEES,
    "GET /practice/activity": MENTORS,
    # the quality loop (issue 16)
    "GET /quality": ONLY_SUPERVISORS,
    "GET /scorecard": SEATS,  # an agent reads the labels of their own reviews
    "GET /scenarios/for-item/{item_id}": ONLY_SUPERVISORS,
    "POST /reviews/sample": ONLY_SUPERVISORS,
    "GET /reviews": SEATS,  # the route: everyone but a supervisor sees their own only
    "GET /reviews/{review_id}": SEATS,
    "PUT /reviews/{review_id}": ONLY_SUPERVISORS,
    "POST /coaching": ONLY_SUPERVISORS,
    "GET /coaching": SEATS,  # the route: everyone but a supervisor sees their own only
}


def route_key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def public(method: str, path: str) -> bool:
    """The route admits anyone, without a token (health, sign-in, the CTI door)."""
    return ANYONE in POLICY.get(route_key(method, path), frozenset())


def allowed(method: str, path: str, role: str) -> bool:
    """Whether `role` may call the route (False for a route the table does not name)."""
    roles = POLICY.get(route_key(method, path))
    return roles is not None and (ANYONE in roles or role in roles)


async def admit(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any] | None:
    """The check every route runs first: 401 without a valid token, 403 for a role
    the table does not name for this route (or a route it does not name at all).
    On the event loop (no thread hand-off for a public route or the table look-up);
    current_agent's database read runs where the engine's reads run (server/reads.py)."""
    route = request.scope.get("route")
    path = getattr(route, "path", "")
    roles = POLICY.get(route_key(request.method, path))
    if roles is not None and ANYONE in roles:
        return None
    agent = getattr(request.state, "agent", None) or cached_agent(request, authorization)
    if agent is None:
        agent = await read(request.app.state.storage, current_agent, request, authorization)
    if roles is None or agent["role"] not in roles:
        raise ApiError(403, REFUSED, f"a {agent['role']} may not use {request.method} {path}")
    return agent


ADMIT = [Depends(admit)]


def check_routes(routers: Iterable[Any]) -> None:
    """Refuse to start with a route the table does not name, or a table entry no route
    has (a renamed path would otherwise quietly lose its rule)."""
    seen: set[str] = set()
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            if admit not in [d.dependency for d in route.dependencies]:
                raise RuntimeError(f"route {route.path} does not run the access check")
            for method in route.methods or ():
                key = route_key(method, route.path)
                if key not in POLICY:
                    raise RuntimeError(f"no access rule for {key} in server/access.py")
                seen.add(key)
    stale = sorted(set(POLICY) - seen)
    if stale:
        raise RuntimeError(f"access rules for routes that do not exist: {', '.join(stale)}")
