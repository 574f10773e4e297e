"""The demo database: agents, callers, listings, articles, scripts from demo_data/*.toml."""

from __future__ import annotations

import sys
from datetime import datetime
from importlib import resources
from typing import Any

from agent_console.server.clock import iso
from agent_console.server.security import hash_password
from agent_console.server.storage import Storage

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEMO_PASSWORD = "demo"

# file -> (table key in the file, bulk kind); order matters for references.
_FILES = (
    ("hotlines.toml", "hotline", "hotlines"),
    ("stations.toml", "station", "stations"),
    ("compounds.toml", "compound", "compounds"),
    ("agents.toml", "agent", "agents"),
    ("categories.toml", "category", "categories"),
    ("scripts.toml", "script", "scripts"),
    ("guides.toml", "guide", "guides"),
    ("callers.toml", "caller", "callers"),
    ("directory.toml", "listing", "directory"),
    ("kb.toml", "article", "articles"),
)


def read_demo(name: str) -> dict[str, Any]:
    data = resources.files("agent_console.server").joinpath("demo_data").joinpath(name).read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def demo_rows(name: str, key: str) -> list[dict[str, Any]]:
    rows = [dict(r) for r in read_demo(name).get(key, [])]
    for i, row in enumerate(rows):
        row.setdefault("sort", i)
    return rows


def load_demo(storage: Storage) -> dict[str, int]:
    """Fill an empty database with the demo data; returns rows loaded per kind."""
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: every demo agent uses "demo"
    loaded: dict[str, int] = {}
    for name, key, kind in _FILES:
        rows = demo_rows(name, key)
        if kind == "agents":
            for row in rows:
                row["password_hash"] = password_hash
        for row in rows:
            if "updated_at" in row:
                row["updated_at"] = iso(datetime.fromisoformat(row["updated_at"]))
        loaded[kind] = storage.bulk_load(kind, rows)
    return loaded


def top_up_demo(storage: Storage) -> dict[str, int]:
    """Load demo data added after a demo database was made (its tables are empty)."""
    loaded: dict[str, int] = {}
    if not storage.list_guides(None, None):
        loaded["guides"] = storage.bulk_load("guides", demo_rows("guides.toml", "guide"))
    # Demo accounts added later (every field station's staff, for the simulated station).
    agents = [r for r in demo_rows("agents.toml", "agent") if storage.get_agent(r["id"]) is None]
    if agents:
        password_hash = hash_password(DEMO_PASSWORD)
        loaded["agents"] = storage.bulk_load(
            "agents", [{**r, "password_hash": password_hash} for r in agents]
        )
    # Extensions (issue 13) for demo agents made before agents had them.
    for row in demo_rows("agents.toml", "agent"):
        agent = storage.find_agent(row["id"])
        if row.get("extension") and agent is not None and not agent["extension"]:
            storage.set_agent_extension(row["id"], row["extension"])
        # Teams (issue 16) for demo agents made before agents had them.
        if row.get("team") and agent is not None and not storage.agent_team(row["id"]):
            storage.set_agent_team(row["id"], row["team"])
    return loaded
