"""The lookups' fast path (server/hot_search.py) answers exactly as the FastAPI routes
do, on both engines, and leaves to them everything out of the ordinary.

The routes' own answer is had from the same server by giving `q` twice: the fast path
takes no repeated parameter, and FastAPI takes the last one, so `?q=X&q=X` is the
route answering `?q=X`."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_session_api import error_of
from tests.conftest import API, login

ACCOUNTS = {"agent": "1001", "trainee": "2001", "mentor": "3001", "station": "5001"}


@pytest.fixture
def clients(fresh_server: EmbeddedBackend) -> Iterator[dict[str, httpx.Client]]:
    """A signed-in client per role, its session read once, on a server of the test's
    own (each caller search spends the agent's search budget)."""
    made = {
        role: httpx.Client(
            base_url=fresh_server.url + API,
            headers={"Authorization": f"Bearer {login(fresh_server.url, agent_id)}"},
            timeout=10,
        )
        for role, agent_id in ACCOUNTS.items()
    }
    for client in made.values():  # a token's first request reads its session (the
        client.get("/directory")  # route's); the fast path finds it in the cache after
    yield made
    for client in made.values():
        client.close()


def both(client: httpx.Client, path: str, q: str, limit: int | None = None) -> tuple:
    """(the answer to `?q=..`, the route's answer to the same) as status, type, body."""
    extra = {} if limit is None else {"limit": limit}
    fast = client.get(path, params={"q": q, **extra})
    route = client.get(path, params=[("q", q), ("q", q), *extra.items()])
    return _seen(fast), _seen(route)


def _seen(r: httpx.Response) -> tuple:
    return r.status_code, r.headers.get("content-type"), r.json()


def test_every_kind_of_search_answers_as_the_route_does(clients: dict[str, httpx.Client]) -> None:
    agent = clients["agent"]
    callers = agent.get("/callers", params={"q": "王", "limit": 50}).json()["items"]
    caller = next(c for c in callers if c["account_no"] and c["compound"])
    queries = [
        "",
        "王",
        caller["name"],
        caller["account_no"],
        caller["phone"][-4:],
        caller["compound"],
        caller["compound"][:2],
        caller["address"][:6],
        "wf",
        "号楼单元",
        "[b]不存在[/b]",
        "x" * 100,
    ]
    for q in queries:
        fast, route = both(agent, "/callers", q)
        assert fast == route, q
        assert fast[0] == 200 and fast[1] == "application/json", (q, fast)
    listing = agent.get("/directory", params={"q": "中心"}).json()["items"][0]
    for q in ("", "中心", listing["name"], listing["number"], "bjdx", "x" * 100):
        fast, route = both(agent, "/directory", q)
        assert fast == route and fast[0] == 200, q
    for limit in (1, 7, 100):
        fast, route = both(agent, "/callers", "王", limit)
        assert fast == route and len(fast[2]["items"]) <= limit


def test_refusals_are_the_routes(
    clients: dict[str, httpx.Client], fresh_server: EmbeddedBackend
) -> None:
    # A trainee finds practice callers only: the access table refuses production ones.
    fast, route = both(clients["trainee"], "/callers", "王")
    assert fast == route and fast[0] == 403
    assert fast[2]["error"]["code"] == "role_not_allowed"
    fast, route = both(clients["trainee"], "/directory", "中心")
    assert fast == route and fast[0] == 200 and fast[2]["items"]
    fast, route = both(clients["station"], "/directory", "中心")
    assert fast == route and fast[0] == 403
    fast, route = both(clients["mentor"], "/callers", "王")
    assert fast == route and fast[0] == 200
    # No token, or one the server never gave: 401 with the challenge.
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        r = httpx.get(f"{fresh_server.url}{API}/callers", params={"q": "王"}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert error_of(r)["code"] in ("unauthorized", "invalid_token")


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 101}, 422),
        ({"q": "王", "limit": "0"}, 422),
        ({"q": "王", "limit": "101"}, 422),
        ({"q": "王", "limit": "abc"}, 422),
        ({"q": "王", "limit": "1000000000000000000000"}, 422),
        ({"q": "王", "limit": "05"}, 200),
        ({"q": "王", "limit": "100"}, 200),
        ({"q": "王", "other": "1"}, 200),
    ],
)
def test_parameters_out_of_the_ordinary_get_the_routes_answer(
    clients: dict[str, httpx.Client], params: dict[str, str], status: int
) -> None:
    r = clients["agent"].get("/callers", params=params)
    assert r.status_code == status, r.text
    if status == 422:
        assert error_of(r)["code"] == "invalid"
        assert set(error_of(r)["fields"]) <= {"q", "limit"}
    else:
        assert len(r.json()["items"]) <= int(params.get("limit", 20))
