"""The API suite runs on both storage engines: SQLite (the embedded default) and
PostgreSQL (a throwaway cluster, see tests/pgcluster.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)
