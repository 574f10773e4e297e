"""Shared fixtures: a real backend process on loopback over a temporary SQLite file,
isolated user directories, an in-memory keyring, and a console App wired to it."""

from __future__ import annotations

import dataclasses
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from agent_console.backend_process import EmbeddedBackend
from tests.pgcluster import ENV_REQUIRE, PgCluster, find_bindir

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
from agent_console.client import BackendClient
from agent_console.config import Settings, parse

API = "/api/v1"


class MemoryKeyring(KeyringBackend):
    """The keyring tests use: a dict, never the machine's keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config, data, keyring or token."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in ("AGENT_CONSOLE_TOKEN", "AGENT_CONSOLE_CONFIG", "AGENT_CONSOLE_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def english_ui() -> Iterator[None]:
    """Every test starts in English (the language is process-wide state); a test that
    switches to Chinese cannot leak it into the next."""
    from agent_console import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def collector_left_as_found() -> Iterator[None]:
    """No test leaves the test process's garbage collector taken over by the console's
    start (agent_console/collector.py) or objects frozen: a later console in the same
    process then froze it, and a later test failed by the order xdist gave it."""
    import gc

    from agent_console import collector

    yield
    leaked = collector._ours, collector.paused(), gc.get_freeze_count()
    assert leaked == (False, False, 0), f"collector left taken over/paused/frozen: {leaked}"


@pytest.fixture(autouse=True)
def seat_log_left_as_found() -> Iterator[None]:
    """No test leaves the console's log set up (agent_console/logs.py): its logger
    stops propagating, so a later test in the same process that reads the server's
    log through caplog (tests/test_db_failures.py, after tests/test_logs.py in one
    xdist worker) saw no record at all."""
    import logging

    from agent_console import logs

    logger = logging.getLogger(logs.LOGGER)
    before = logger.propagate, logger.level, list(logger.handlers)
    yield
    logs.close()
    logger.propagate, logger.level = before[0], before[1]
    logger.handlers[:] = before[2]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per run and copied for each server."""
    from agent_console.server.demo import load_demo
    from agent_console.server.storage import open_storage

    path = tmp_path_factory.mktemp("template") / "demo.db"
    storage = open_storage(str(path))
    load_demo(storage)
    storage.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.close()
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for the session (initdb + pg_ctl, loopback port).

    Skipped where PostgreSQL is not installed, unless AGENT_CONSOLE_REQUIRE_POSTGRES=1
    (CI sets it), which turns the skip into a failure."""
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(f"PostgreSQL (initdb, pg_ctl) is not installed and {ENV_REQUIRE}=1")
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    cluster = PgCluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def db_engine() -> str:
    """The storage engine the backends run on; tests/api parametrizes it over both."""
    return "sqlite"


@dataclasses.dataclass
class DemoDatabase:
    """The demo data, built once per engine; each backend gets a copy of its own."""

    engine: str
    template: Path | str  # a SQLite file, or a PostgreSQL template database's name
    cluster: PgCluster | None = None

    def copy(self, workdir: Path) -> str:
        """A copy for one backend: what its --db says."""
        if self.cluster is None:
            db = workdir / "backend.db"
            shutil.copy(self.template, db)
            return str(db)
        return self.cluster.create_database(f"b{uuid.uuid4().hex[:12]}", str(self.template))


def engine_demo_db(
    db_engine: str, demo_db_template: Path, request: pytest.FixtureRequest
) -> DemoDatabase:
    if db_engine == "sqlite":
        return DemoDatabase("sqlite", demo_db_template)
    return request.getfixturevalue("pg_demo_db")  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def demo_db(db_engine: str, demo_db_template: Path, request: pytest.FixtureRequest) -> DemoDatabase:
    return engine_demo_db(db_engine, demo_db_template, request)


@pytest.fixture(scope="session")
def pg_demo_db(request: pytest.FixtureRequest) -> DemoDatabase:
    """The demo data on PostgreSQL (a template database), for the API suite and the
    several-workers tests alike: built once per session."""
    from agent_console.server.demo import load_demo
    from agent_console.server.storage import open_storage

    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    storage = open_storage(cluster.create_database("demo_template"))
    load_demo(storage)
    storage.optimize()
    storage.close()  # a template database must have no connections
    return DemoDatabase("postgres", "demo_template", cluster)


def start_backend(
    template: Path | DemoDatabase, workdir: Path, extra_args: list[str] | None = None
) -> EmbeddedBackend:
    """A backend process over its own copy of the demo database."""
    workdir.mkdir(parents=True, exist_ok=True)
    # A Path is a SQLite template (isinstance on DemoDatabase fails when a test module
    # imports tests.conftest under its package name: two copies of the class).
    demo = DemoDatabase("sqlite", template) if isinstance(template, Path) else template
    backend = EmbeddedBackend(
        demo.copy(workdir),
        demo_data=False,
        log_file=workdir / "server.log",
        extra_args=extra_args,
    )
    return backend.start()


#: A shared backend serves a whole test session as agent 1001: hundreds of tests, not
#: one agent typing, so the per-agent search budget (120 a minute) is not theirs to
#: spend (a raw API search then got 429 by chance: CI, test_lookup_screen). The budget
#: is tested on backends of their own (tests/api/test_limits_api.py, test_lookup_screen).
SESSION_SEARCHES = ["--search-per-minute", "1000000", "--search-burst", "1000000"]


def shared_backend(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    backend = start_backend(demo_db, tmp_path_factory.mktemp("server"), SESSION_SEARCHES)
    yield backend
    backend.stop()


# The session-wide server (and its token) exist once per engine: tests/api/conftest.py
# declares its own over both engines. One definition for both let a UI test reuse the
# server an API test had left on PostgreSQL, depending on which test ran before it.
@pytest.fixture(scope="session")
def server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """One backend for tests that read, or write only what they themselves look for."""
    yield from shared_backend(demo_db, tmp_path_factory)


@pytest.fixture
def fresh_server(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[EmbeddedBackend]:
    """A backend of the test's own, for tests that count or change shared state."""
    backend = start_backend(demo_db, tmp_path / "server")
    yield backend
    backend.stop()


def login(url: str, agent_id: str = "1001", password: str = "demo") -> str:
    r = httpx.post(f"{url}{API}/auth/login", json={"agent_id": agent_id, "password": password})
    r.raise_for_status()
    return r.json()["token"]


@pytest.fixture(scope="session")
def agent_token(server: EmbeddedBackend) -> str:
    return login(server.url)


@pytest.fixture
def api(server: EmbeddedBackend, agent_token: str) -> Iterator[httpx.Client]:
    """A signed-in HTTP client for agent 1001 on the shared server."""
    with httpx.Client(
        base_url=server.url + API, headers={"Authorization": f"Bearer {agent_token}"}
    ) as client:
        yield client


def console_settings(url: str, **sections: dict) -> Settings:
    settings = parse("", "<test>")
    backend = dataclasses.replace(settings.backend, url=url, health_interval=1.0)
    lookup = dataclasses.replace(settings.lookup, debounce_ms=0)
    return dataclasses.replace(settings, backend=backend, lookup=lookup, **sections)


AppFactory = Callable[..., "AgentConsole"]


@pytest.fixture
async def make_app(server: EmbeddedBackend, agent_token: str) -> AsyncIterator[AppFactory]:
    """Build the real App against a backend, signed in as agent 1001 unless told otherwise."""
    from agent_console.app import AgentConsole

    def factory(
        url: str | None = None, token: str | None = agent_token, **kwargs: object
    ) -> AgentConsole:
        base = url or server.url
        client = BackendClient(base, token)
        settings = kwargs.pop("settings", None) or console_settings(base)
        return AgentConsole(settings, client, remember_login=False, **kwargs)  # type: ignore[arg-type]

    yield factory
