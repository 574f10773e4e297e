"""The demo's backend with a staged start (server/staged_start.py): sign-in is served
first, and a request for a route not built yet waits for it; it is never told 404."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from agent_console.client.base import API
from tests.conftest import start_backend


def test_a_request_for_a_route_still_being_built_is_answered_by_it(
    demo_db_template: Path, tmp_path: Path
) -> None:
    backend = start_backend(demo_db_template, tmp_path, ["--staged-start"])
    try:
        # Ready (health answered), nothing signed in: the routes are built a second
        # after listening at the latest, so this is asked before they are in.
        r = httpx.get(f"{backend.url}{API}/scripts", timeout=10)
        assert r.status_code == 401, r.text  # the route's access check, not a 404
        assert r.json()["error"]["code"]
    finally:
        backend.stop()


def test_sign_in_comes_first_and_everything_is_served_after_it(
    demo_db_template: Path, tmp_path: Path
) -> None:
    backend = start_backend(demo_db_template, tmp_path, ["--staged-start"])
    try:
        token = backend.login("1001", "demo")
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"{backend.url}{API}", headers=headers, timeout=10) as api:
            assert api.get("/auth/me").json()["id"] == "1001"
            assert api.get("/callers", params={"q": "138"}).status_code == 200
            assert api.get("/ticket-categories").status_code == 200
        doc = httpx.get(f"{backend.url}/openapi.json", timeout=10).json()
        assert f"{API}/callers" in doc["paths"] and f"{API}/auth/login" in doc["paths"]
        assert len(doc["paths"]) == len(full_document(tmp_path)["paths"])
    finally:
        backend.stop()


def test_held_requests_are_answered_when_several_wait_at_once(
    demo_db_template: Path, tmp_path: Path
) -> None:
    backend = start_backend(demo_db_template, tmp_path, ["--staged-start"])
    statuses: list[int] = []

    def ask() -> None:
        statuses.append(httpx.get(f"{backend.url}{API}/kb/search?q=x", timeout=10).status_code)

    try:
        threads = [threading.Thread(target=ask) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [401] * 4
    finally:
        backend.stop()


def full_document(tmp_path: Path) -> dict[str, object]:
    """The OpenAPI document of a server started the usual way (all routes at once)."""
    from agent_console.server.api import create_app
    from agent_console.server.storage import open_storage

    storage = open_storage(str(tmp_path / "plain.db"))
    try:
        return create_app(storage).openapi()
    finally:
        storage.close()
