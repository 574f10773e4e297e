"""The schema steps as SQLite runs them (written once for both engines in schema.py)."""

from __future__ import annotations

from agent_console.server.storage.schema import migrations

MIGRATIONS: list[tuple[int, str]] = migrations("sqlite")
LATEST = max(version for version, _ in MIGRATIONS)
