"""The OpenAPI document lists every status a route can answer (issue 14: it listed
none of the 400/401/403/404/409/413/422/429 answers), each with the one error shape
{"error": {"code", "message"[, "fields"]}}.

Derived from each operation rather than written on every decorator: what it takes
(a token, a body, path parameters) says which errors it can give; the few routes with a
limit of their own (sign-in, caller search) are named here. A schemathesis run in
the test suite checks the document against what the server really answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from agent_console.server.access import public

API_PREFIX = "/api/v1"  # api.API_PREFIX (api imports this module)

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "what is wrong with each field named (422)",
                },
            },
        }
    },
}

DESCRIPTIONS = {
    400: "The body is not valid JSON, or a required header is missing",
    401: "No valid token (or, at sign-in, a wrong agent number or password)",
    403: "The signed-in role may not do this",
    404: "No such record",
    409: "The request contradicts the current state (an illegal move, a duplicate)",
    413: "The request body is larger than the server accepts (default 1 MiB)",
    422: "A value is missing, of the wrong type or out of range; `fields` names each",
    429: "Too many attempts: wait the seconds in Retry-After",
}

#: Routes with a rate limit of their own: (method, path) -> extra statuses.
LIMITED = {
    ("POST", "/api/v1/auth/login"): {401, 429},
    ("GET", "/api/v1/callers"): {429},
}
#: A second success status a route gives (same body as its first): -> description.
ALSO_OK = {
    ("POST", "/api/v1/practice/hands"): (200, "The hand was up already: its step is updated"),
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SESSION = {"/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/health"}


def statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, read from what it takes."""
    found: set[int] = set(LIMITED.get((method, path), set()))
    params = operation.get("parameters", [])
    where = {p["in"] for p in params if p["name"].lower() != "authorization"}
    if not public(method, path.removeprefix(API_PREFIX)):
        found |= {401, 403}  # the bearer token (deps.current_agent), and the role's rights
    if "requestBody" in operation:
        found |= {400, 413, 422}
    if where or "422" in operation.get("responses", {}):
        found.add(422)
    if "path" in where:
        found.add(404)
    if method in WRITES and path not in SESSION:
        found |= {404, 409}
    return found


def _response(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == 429:
        answer["headers"] = {
            "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
        }
    return answer


def install(app: FastAPI) -> None:
    """Make `app.openapi()` add the error statuses of every route."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"] = ERROR_SCHEMA
        for path, operations in doc.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses(method.upper(), path, operation)):
                    responses[str(status)] = _response(status)
                also = ALSO_OK.get((method.upper(), path))
                if also is not None:
                    first = next(v for k, v in responses.items() if k.startswith("2"))
                    responses[str(also[0])] = {**first, "description": also[1]}
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi
