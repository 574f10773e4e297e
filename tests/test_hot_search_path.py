"""Which searches the fast path (server/hot_search.py) answers itself: the app called
in this process (httpx's ASGI transport, no socket) to read the middleware's count;
tests/api/test_hot_search.py checks over a real server that its answers are the
routes'."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from agent_console.server.api import API_PREFIX, create_app
from agent_console.server.hot_search import HotSearch, _params
from agent_console.server.storage import open_storage


def _hot(app: object) -> HotSearch:
    layer = getattr(app, "middleware_stack", None)
    while layer is not None and not isinstance(layer, HotSearch):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, HotSearch), "the fast path is not in the app's middleware"
    return layer


async def test_the_fast_path_answers_the_ordinary_searches_only(
    demo_db_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "centre.db"
    shutil.copy(demo_db_template, db)
    app = create_app(open_storage(str(db)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t" + API_PREFIX) as c:
        tokens = {}
        for agent_id in ("1001", "2001"):
            r = await c.post("/auth/login", json={"agent_id": agent_id, "password": "demo"})
            tokens[agent_id] = {"Authorization": f"Bearer {r.json()['token']}"}
        agent, trainee = tokens["1001"], tokens["2001"]
        assert (await c.get("/health")).status_code == 200
        hot = _hot(app)
        counts = []

        async def answered(path: str, params: object, headers: dict[str, str]) -> int:
            before = hot.answered
            await c.get(path, params=params, headers=headers)  # type: ignore[arg-type]
            counts.append(hot.answered - before)
            return counts[-1]

        # A token's first request reads its session (the route's); later ones find it
        # in the process's session cache.
        assert await answered("/callers", {"q": "王"}, agent) == 0
        assert await answered("/directory", {"q": "中心"}, trainee) == 0
        assert await answered("/callers", {"q": "王"}, agent) == 1
        assert await answered("/callers", {"q": "王", "limit": "5"}, agent) == 1
        assert await answered("/directory", {"q": "中心"}, trainee) == 1
        assert await answered("/callers", [("q", "王"), ("q", "王")], agent) == 0
        assert await answered("/callers", {"q": "王", "limit": "0"}, agent) == 0
        assert await answered("/callers", {"q": "x" * 101}, agent) == 0
        assert await answered("/callers", {"q": "王"}, trainee) == 0  # 403: the route's
        assert await answered("/callers", {"q": "王"}, {"Authorization": "Bearer x"}) == 0
        assert await answered("/callers", {"q": "王"}, {}) == 0
        assert await answered("/callers/1", {}, agent) == 0  # the card: not a search
        r = await c.post("/callers", params={"q": "王"}, headers=agent, json={})
        assert r.status_code == 422 and hot.answered == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"", ("", 20)),
        (b"q=", ("", 20)),
        (b"q=%E7%8E%8B&limit=7", ("王", 7)),
        (b"limit=100&q=a+b", ("a b", 100)),
        (b"q=a&zz=1", ("a", 20)),
        (b"q=a&q=b", None),
        (b"q=a&limit=1&limit=1", None),
        (b"limit=0", None),
        (b"limit=101", None),
        (b"limit=007", None),
        (b"limit=+7", None),
        (b"limit=7.0", None),
        (b"q=" + b"x" * 101, None),
    ],
)
def test_parameters_taken_as_they_are_or_left_to_fastapi(
    query: bytes, expected: tuple[str, int] | None
) -> None:
    assert _params(query) == expected
