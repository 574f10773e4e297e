"""Storage behind one interface; the engine is chosen by the database URL.

No SQL lives outside this package.
"""

from __future__ import annotations

from agent_console.server.storage.base import (
    Conflict,
    IdempotencyMismatch,
    Invalid,
    InvalidTransition,
    NotFound,
    Storage,
    StorageError,
)


def open_storage(url: str) -> Storage:
    """Open the storage named by `url`: a file path or `sqlite:///path` for SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        raise StorageError("PostgreSQL storage is not available in this version")
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    from agent_console.server.storage.sqlite import SQLiteStorage

    return SQLiteStorage(path)


__all__ = [
    "Conflict",
    "IdempotencyMismatch",
    "Invalid",
    "InvalidTransition",
    "NotFound",
    "Storage",
    "StorageError",
    "open_storage",
]
