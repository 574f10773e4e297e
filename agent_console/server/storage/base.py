"""The storage interface every engine implements, and the errors it raises.

Rows travel as plain dicts shaped like the API's JSON, so routes stay thin and a
second engine only has to match this file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

Row = dict[str, Any]


class StorageError(Exception):
    """Base of storage errors the API turns into HTTP answers."""


class NotFound(StorageError):
    pass


class Conflict(StorageError):
    """The request contradicts the current state (HTTP 409)."""


class InvalidTransition(Conflict):
    pass


class Invalid(StorageError):
    """A value the storage refuses, with the field it belongs to (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class IdempotencyMismatch(StorageError):
    """The same Idempotency-Key arrived with a different body (HTTP 422)."""


class Storage(Protocol):
    """What the API needs from a database. All methods are synchronous and thread-safe."""

    def close(self) -> None: ...

    # -- schema and bulk loading -------------------------------------------------
    def is_empty(self) -> bool: ...
    def bulk_load(self, kind: str, rows: Iterable[Row]) -> int: ...
    def counts(self) -> dict[str, int]: ...
    def optimize(self) -> None: ...

    # -- agents and sessions -----------------------------------------------------
    def get_agent(self, agent_id: str) -> Row | None: ...
    def agent_password_hash(self, agent_id: str) -> str | None: ...
    def create_session(self, token_hash: str, agent_id: str, expires_at: str) -> None: ...
    def session_agent(self, token_hash: str, now: str) -> Row | None: ...
    def revoke_session(self, token_hash: str, now: str) -> None: ...
    def audit(self, agent_id: str | None, action: str, target: str, detail: str) -> None: ...

    # -- callers -----------------------------------------------------------------
    def search_callers(self, query: str, limit: int) -> list[Row]: ...
    def get_caller(self, caller_id: int) -> Row | None: ...
    def create_caller(self, data: Row) -> Row: ...

    # -- directory, knowledge base, scripts, categories, stations ----------------
    def search_directory(self, query: str, limit: int) -> list[Row]: ...
    def search_kb(self, query: str, limit: int) -> list[Row]: ...
    def get_article(self, article_id: int) -> Row | None: ...
    def list_scripts(self, hotline: str | None, language: str | None) -> list[Row]: ...
    def list_categories(self) -> list[Row]: ...
    def list_stations(self) -> list[Row]: ...
    def list_compounds(self) -> list[Row]: ...

    # -- tickets -----------------------------------------------------------------
    def create_ticket(
        self, data: Row, agent_id: str, idem_key: str, request_hash: str
    ) -> tuple[Row, bool]: ...
    def list_tickets(
        self, caller_id: int | None, status: str | None, area: str, limit: int
    ) -> list[Row]: ...
    def get_ticket(self, ticket_id: int, area: str) -> Row | None: ...
    def update_ticket(self, ticket_id: int, changes: Row, agent_id: str, area: str) -> Row: ...
