"""The schema steps as PostgreSQL runs them (written once for both engines in schema.py),
and the tables whose id the database assigns."""

from __future__ import annotations

import re

from agent_console.server.storage.schema import migrations
from agent_console.server.storage.schema_steps.step08_centre_search import KB_GRAMS_BACKFILL

MIGRATIONS: list[tuple[int, str]] = migrations("postgres")
LATEST = max(version for version, _ in MIGRATIONS)

#: Tables whose id the database assigns (an identity column): bulk loads and copies
#: write ids themselves and move the counter past them afterwards.
ID_TABLES = frozenset(
    re.findall(
        r"CREATE TABLE (\w+) \(\s*id\s+INTEGER GENERATED", "".join(sql for _, sql in MIGRATIONS)
    )
)

__all__ = ["ID_TABLES", "KB_GRAMS_BACKFILL", "LATEST", "MIGRATIONS"]
