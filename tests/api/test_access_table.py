"""Every route of the OpenAPI document, walked with every role's token, answers as the one
access table (agent_console/server/access.py) says: the table's 403 exactly where it does
not name the role, never where it does. Plus the rules of issue 14 the table must keep."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import APIRouter

from agent_console.backend_process import EmbeddedBackend
from agent_console.server import access
from agent_console.server.access import ADMIT, POLICY, REFUSED, check_routes
from tests.conftest import API, DemoDatabase, login, start_backend

# One demo account per role (demo_data/agents.toml).
ACCOUNTS = {
    "agent": "1001",
    "trainee": "2001",
    "mentor": "3001",
    "supervisor": "9001",
    "station": "5001",
    "wall": "9900",
}
PARAM_VALUES = {"agent_id": "1002"}  # every other path parameter is an integer id


@pytest.fixture(scope="module")
def walk_server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """Its own backend: the walk sends writes (most refused or invalid, but not all)."""
    backend = start_backend(demo_db, tmp_path_factory.mktemp("access"))
    yield backend
    backend.stop()


def operations(url: str) -> list[tuple[str, str]]:
    """(METHOD, path without /api/v1) of every operation the server publishes."""
    doc = httpx.get(f"{url}/openapi.json").json()
    return [
        (method.upper(), path.removeprefix(API))
        for path, ops in doc["paths"].items()
        for method in ops
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAM_VALUES.get(m.group(1), "1"), path)


def answer(client: httpx.Client, method: str, path: str) -> tuple[int, str]:
    """Status and error code; the event stream is only opened, never read."""
    body = {} if method in ("POST", "PUT", "PATCH") else None
    with client.stream(method, API + concrete(path), json=body) as r:
        if r.status_code == 403:
            r.read()
            return 403, r.json()["error"]["code"]
        return r.status_code, ""


def test_every_route_answers_every_role_as_the_table_says(walk_server: EmbeddedBackend) -> None:
    ops = operations(walk_server.url)
    assert {access.route_key(m, p) for m, p in ops} == set(POLICY)
    logout = ("POST", "/auth/logout")
    ops = [op for op in ops if op != logout] + [logout]  # signing out last
    wrong: list[str] = []
    for role, agent_id in ACCOUNTS.items():
        token = login(walk_server.url, agent_id)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=walk_server.url, headers=headers, timeout=10) as client:
            for method, path in ops:
                status, code = answer(client, method, path)
                admitted = access.allowed(method, path, role)
                refused_by_table = status == 403 and code == REFUSED
                if admitted == refused_by_table or status >= 500:
                    wrong.append(f"{role} {method} {path}: {status} {code}")
    assert not wrong, "\n".join(wrong)


def test_without_a_token_only_health_and_sign_in_answer(walk_server: EmbeddedBackend) -> None:
    wrong = []
    with httpx.Client(base_url=walk_server.url, timeout=10) as client:
        for method, path in operations(walk_server.url):
            status, _ = answer(client, method, path)
            public = access.ANYONE in POLICY[access.route_key(method, path)]
            if (status == 401) == public:
                wrong.append(f"{method} {path}: {status}")
    assert not wrong, "\n".join(wrong)


def test_the_table_keeps_the_rules_of_the_issue() -> None:
    def admitted(role: str) -> set[str]:
        return {key for key, roles in POLICY.items() if role in roles or access.ANYONE in roles}

    public = {key for key, roles in POLICY.items() if access.ANYONE in roles}
    assert {"GET /health", "POST /auth/login"} <= public
    assert not {k for k in public if k.split()[1].startswith(("/callers", "/tickets", "/sms"))}
    session = public | {"POST /auth/logout", "GET /auth/me", "GET /events"}
    station_work = {
        "GET /tickets",
        "GET /tickets/{ticket_id}",
        "PATCH /tickets/{ticket_id}",
        "GET /station/tickets",
        "GET /ticket-categories",
        "GET /stations",
    }
    # Field stations: their tickets, nothing else (no callers, unmask, SMS).
    assert admitted("station") == session | station_work
    # Trainees: no production callers at all; practice, KB, scripts, directory.
    assert not {k for k in admitted("trainee") if k.split()[1].startswith(("/callers", "/calls"))}
    assert {"GET /kb/search", "GET /scripts", "GET /directory", "POST /practice/hands"} <= (
        admitted("trainee")
    )
    # Supervisors: all an agent may, and their own administration.
    assert admitted("agent") < admitted("supervisor")
    assert {"GET /audit", "PATCH /agents/{agent_id}/role"} <= admitted("supervisor") - (
        admitted("agent") | admitted("mentor")
    )
    # The wall screen (issue 16): the session routes and the board, nothing else.
    assert admitted("wall") == session | {"GET /wallboard"}
    assert set().union(*POLICY.values()) <= access.ROLES | {access.ANYONE}


def test_a_route_without_a_rule_stops_the_server_starting() -> None:
    extra = APIRouter(dependencies=ADMIT)
    extra.get("/callers/export")(lambda: None)
    with pytest.raises(RuntimeError, match="no access rule for GET /callers/export"):
        check_routes([extra])
    unguarded = APIRouter()
    unguarded.get("/health")(lambda: None)
    with pytest.raises(RuntimeError, match="does not run the access check"):
        check_routes([unguarded])


def test_the_lookup_and_the_card_solve_no_dependency_but_the_access_check() -> None:
    """The two routes every call hits (4-6 searches and a card) take the agent the
    access check found and the app's storage (deps.admitted_agent): each dependency
    of their own was solved again per request (FastAPI), a tenth of a search's CPU."""
    from fastapi.routing import APIRoute

    from agent_console.server.routes.callers import router

    hot = {("GET", "/callers"), ("GET", "/callers/{caller_id}")}
    seen = set()
    for route in router.routes:
        if isinstance(route, APIRoute) and route.methods:
            for method in route.methods:
                if (method, route.path) in hot:
                    seen.add((method, route.path))
                    calls = [d.call for d in route.dependant.dependencies]
                    assert calls == [access.admit], (route.path, calls)
    assert seen == hot
