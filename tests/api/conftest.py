"""The API suite runs on both storage engines: SQLite (the embedded default) and
PostgreSQL (a throwaway cluster, see tests/pgcluster.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import DemoDatabase, engine_demo_db, login, shared_backend

# The session-wide fixtures that depend on the engine are declared here again, so that
# their cached values (a server on PostgreSQL) stay in this folder: a fixture defined
# once for the whole tree is cached once, and a UI test after an API test got the
# API test's PostgreSQL server.


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def demo_db(db_engine: str, demo_db_template: Path, request: pytest.FixtureRequest) -> DemoDatabase:
    return engine_demo_db(db_engine, demo_db_template, request)


@pytest.fixture(scope="session")
def server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    yield from shared_backend(demo_db, tmp_path_factory)


@pytest.fixture(scope="session")
def agent_token(server: EmbeddedBackend) -> str:
    return login(server.url)
