"""Which driver errors mean "the database is away", not "this request is wrong".

Both engines fail in their own words: psycopg raises OperationalError (and the pool
its PoolTimeout, a subclass) when PostgreSQL is stopped, restarting or has dropped
the connection; sqlite3 raises OperationalError with "unable to open database file"
or "disk I/O error" when the file or its disk fails. The API answers those with 503
and Retry-After (the request may be sent again), every other error with 500.
"""

from __future__ import annotations

import sqlite3
import sys

from agent_console.server.storage.base import Unavailable

#: sqlite3.OperationalError texts that say the file or its disk cannot be used now.
SQLITE_OUTAGES = (
    "unable to open",
    "disk i/o error",
    "database is locked",
    "database or disk is full",
    "readonly database",
)


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database cannot be reached or used right now."""
    if isinstance(exc, Unavailable):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return any(words in text for words in SQLITE_OUTAGES)
    # psycopg is imported only where PostgreSQL is used; if it is not loaded, `exc`
    # cannot be one of its errors (and a SQLite server does not pay for the import).
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.OperationalError)
