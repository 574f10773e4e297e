"""Health, sign-in, sign-out, and the error shape, against the real server."""

from __future__ import annotations

import httpx

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, login


def error_of(r: httpx.Response) -> dict:
    body = r.json()
    assert set(body) == {"error"}, body
    return body["error"]


def test_health_needs_no_token(server: EmbeddedBackend) -> None:
    r = httpx.get(f"{server.url}{API}/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_login_returns_token_and_agent(server: EmbeddedBackend) -> None:
    r = httpx.post(f"{server.url}{API}/auth/login", json={"agent_id": "1001", "password": "demo"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["token"]) >= 40
    assert body["agent"]["id"] == "1001"
    assert body["agent"]["role"] == "agent"


def test_wrong_password_and_unknown_agent_answer_alike(server: EmbeddedBackend) -> None:
    wrong = httpx.post(f"{server.url}{API}/auth/login", json={"agent_id": "1001", "password": "x"})
    nobody = httpx.post(f"{server.url}{API}/auth/login", json={"agent_id": "0000", "password": "x"})
    assert wrong.status_code == nobody.status_code == 401
    assert error_of(wrong) == error_of(nobody)
    assert error_of(wrong)["code"] == "bad_credentials"


def test_every_role_of_the_demo_signs_in(server: EmbeddedBackend) -> None:
    roles = {}
    for agent_id in ("1001", "2001", "3001", "9001"):
        r = httpx.post(
            f"{server.url}{API}/auth/login", json={"agent_id": agent_id, "password": "demo"}
        )
        roles[agent_id] = r.json()["agent"]["role"]
    assert roles == {"1001": "agent", "2001": "trainee", "3001": "mentor", "9001": "supervisor"}


def test_missing_and_bogus_tokens_are_401_with_the_error_shape(server: EmbeddedBackend) -> None:
    missing = httpx.get(f"{server.url}{API}/callers", params={"q": "王"})
    bogus = httpx.get(f"{server.url}{API}/callers", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == bogus.status_code == 401
    assert error_of(missing)["code"] == "unauthorized"
    assert error_of(bogus)["code"] == "invalid_token"
    assert missing.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_only_that_token(server: EmbeddedBackend) -> None:
    first, second = login(server.url), login(server.url)
    h1, h2 = {"Authorization": f"Bearer {first}"}, {"Authorization": f"Bearer {second}"}
    assert httpx.get(f"{server.url}{API}/auth/me", headers=h1).status_code == 200
    assert httpx.post(f"{server.url}{API}/auth/logout", headers=h1).status_code == 204
    assert httpx.get(f"{server.url}{API}/auth/me", headers=h1).status_code == 401
    assert httpx.get(f"{server.url}{API}/auth/me", headers=h2).status_code == 200


def test_bad_json_is_400_and_a_missing_field_is_422_naming_it(server: EmbeddedBackend) -> None:
    bad = httpx.post(
        f"{server.url}{API}/auth/login",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad.status_code == 400
    assert error_of(bad)["code"] == "bad_json"
    missing = httpx.post(f"{server.url}{API}/auth/login", json={"agent_id": "1001"})
    assert missing.status_code == 422
    assert "password" in error_of(missing)["fields"]


def test_unknown_route_and_wrong_method_keep_the_error_shape(server: EmbeddedBackend) -> None:
    assert error_of(httpx.get(f"{server.url}{API}/nope"))["code"] == "not_found"
    r = httpx.delete(f"{server.url}{API}/health")
    assert r.status_code == 405
    assert error_of(r)["code"] == "method_not_allowed"


def test_openapi_document_lists_every_endpoint(server: EmbeddedBackend) -> None:
    paths = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/health",
        "/api/v1/auth/login",
        "/api/v1/callers",
        "/api/v1/callers/{caller_id}",
        "/api/v1/directory",
        "/api/v1/kb/search",
        "/api/v1/kb/articles/{article_id}",
        "/api/v1/scripts",
        "/api/v1/ticket-categories",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
    ):
        assert path in paths, path
    assert "patch" in paths["/api/v1/tickets/{ticket_id}"]
    assert "post" in paths["/api/v1/callers"]
