"""The OpenAPI document names every error status a route gives, each with the one
error shape (issue 14); tests/api/test_schemathesis_api.py checks it against what the
real server answers."""

from __future__ import annotations

from agent_console.server.access import public
from agent_console.server.api import create_app
from agent_console.server.storage import open_storage

ERROR = {"$ref": "#/components/schemas/Error"}


def document() -> dict:
    storage = open_storage(":memory:")
    try:
        return create_app(storage).openapi()
    finally:
        storage.close()


def test_every_error_status_has_the_error_shape() -> None:
    doc = document()
    assert doc["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            errors = {k: v for k, v in operation["responses"].items() if k.startswith("4")}
            for status, answer in errors.items():
                schema = answer["content"]["application/json"]["schema"]
                assert schema == ERROR, (method, path, status)
            if public(method, path.removeprefix("/api/v1")):  # health, sign-in, CTI
                assert "403" not in errors, (method, path)  # sign-in answers 401 itself
            else:
                assert {"401", "403"} <= set(errors), (method, path)


def test_routes_list_what_they_answer() -> None:
    paths = document()["paths"]

    def statuses(method: str, path: str) -> set[str]:
        return {s for s in paths[path][method]["responses"] if s.startswith("4")}

    assert statuses("post", "/api/v1/auth/login") == {"400", "401", "413", "422", "429"}
    assert "Retry-After" in paths["/api/v1/auth/login"]["post"]["responses"]["429"]["headers"]
    assert statuses("get", "/api/v1/callers") == {"401", "403", "422", "429"}
    assert statuses("patch", "/api/v1/tickets/{ticket_id}") == {
        "400", "401", "403", "404", "409", "413", "422"
    }  # fmt: skip
    assert statuses("get", "/api/v1/kb/articles/{article_id}") == {"401", "403", "404", "422"}
    assert set(paths["/api/v1/practice/hands"]["post"]["responses"]) >= {"200", "201"}
