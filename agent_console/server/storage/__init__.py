"""Storage behind one interface; the engine is chosen by the database URL.

No SQL lives outside this package.
"""

from __future__ import annotations

from agent_console.server.storage.base import (
    Conflict,
    ConstraintViolation,
    IdempotencyMismatch,
    Invalid,
    InvalidTransition,
    NotFound,
    Storage,
    StorageError,
    Unavailable,
    WouldWait,
)
from agent_console.server.storage.outage import is_unavailable


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def open_storage(url: str) -> Storage:
    """Open the storage named by `url`: `postgresql://...` for PostgreSQL, a file path or
    `sqlite:///path` for SQLite."""
    if is_postgres_url(url):
        try:
            from agent_console.server.storage.postgres import PostgresStorage
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StorageError(
                "PostgreSQL needs the postgres extra: pip install 'agent-console[postgres]'"
            ) from exc
        return PostgresStorage(url)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    from agent_console.server.storage.sqlite import SQLiteStorage

    return SQLiteStorage(path)


__all__ = [
    "Conflict",
    "ConstraintViolation",
    "IdempotencyMismatch",
    "Invalid",
    "InvalidTransition",
    "NotFound",
    "Storage",
    "StorageError",
    "Unavailable",
    "WouldWait",
    "is_postgres_url",
    "is_unavailable",
    "open_storage",
]
