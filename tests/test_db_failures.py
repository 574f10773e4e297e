"""The SQLite backend when its file or disk fails, and what any unexpected error
answers: JSON (503 for a database that is away, 500 for a bug), X-Worker, and the
keep-alive connection still answering the next request."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import login, start_backend
from tests.outage_load import RawClient

TICKET = {"category": "heat.no_heat.partial", "summary": "暖气半热半凉"}


def post_ticket(client: RawClient, key: str) -> tuple[int, dict]:
    answer = client.request("POST", "/tickets", TICKET, Idempotency_Key=key)
    return answer.status, answer.body | {"retry-after": answer.headers.get("retry-after")}


def test_sqlite_writes_failing_on_disk_answer_503_and_recover(
    demo_db_template: Path, tmp_path: Path
) -> None:
    """Every write of the server process fails (its soft RLIMIT_FSIZE at 1 byte: writing is
    EFBIG, "disk I/O error" to SQLite; root cannot override it, unlike permissions)."""
    backend = start_backend(demo_db_template, tmp_path / "server")
    try:
        assert backend.process is not None
        pid = str(backend.process.pid)
        client = RawClient(backend.url, login(backend.url))
        assert post_ticket(client, str(uuid.uuid4()))[0] == 201
        subprocess.run(["prlimit", "--pid", pid, "--fsize=1:"], check=True)
        key = str(uuid.uuid4())
        try:
            status, body = post_ticket(client, key)
            assert status == 503, body
            assert body["error"]["code"] == "database_unavailable"
            assert body["retry-after"] and body["retry-after"].isdigit()
            # The same connection answers the next request (reads still work).
            assert client.request("GET", "/ticket-categories").status == 200
        finally:
            subprocess.run(["prlimit", "--pid", pid, "--fsize=unlimited"], check=True)
        status, body = post_ticket(client, key)  # the outbox sends it again
        assert status == 201, body
        tickets = client.request("GET", "/tickets").body["items"]
        assert sum(t["summary"] == TICKET["summary"] for t in tickets) == 2
    finally:
        backend.stop()


def test_sqlite_file_removed_makes_health_say_so(demo_db_template: Path, tmp_path: Path) -> None:
    backend = start_backend(demo_db_template, tmp_path / "server")
    try:
        client = RawClient(backend.url)
        assert client.request("GET", "/health").body["database"] == "ok"
        shutil.rmtree(tmp_path / "server")
        deadline = time.monotonic() + 10
        while (answer := client.request("GET", "/health")).status == 200:
            assert time.monotonic() < deadline, "/health never noticed"
            time.sleep(0.1)  # it asks the database at most once a second
        assert answer.status == 503, answer
        assert answer.body["database"] == "unreachable"
        assert answer.body["error"]["code"] == "database_unavailable"
    finally:
        backend.stop()


def test_sqlite_errors_that_mean_an_outage(tmp_path: Path) -> None:
    from agent_console.server.storage import is_unavailable

    with pytest.raises(sqlite3.OperationalError) as gone:
        sqlite3.connect(tmp_path / "removed" / "centre.db")
    assert is_unavailable(gone.value)
    with pytest.raises(sqlite3.OperationalError) as bug:
        sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table")
    assert not is_unavailable(bug.value)


@pytest.fixture
def failing_app(demo_db_template: Path, tmp_path: Path) -> Iterator[str]:
    """The real app with routes that fail, served by uvicorn in this process (no
    route of the API fails on purpose) with the X-Worker middleware of `--workers`."""
    import psycopg
    import uvicorn

    from agent_console.server.api import create_app
    from agent_console.server.storage import open_storage
    from agent_console.server.workers import WorkerHeader

    db = tmp_path / "centre.db"
    shutil.copy(demo_db_template, db)
    app = create_app(open_storage(str(db)))

    def bug() -> None:
        raise RuntimeError("a bug")

    def disk() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    def postgres() -> None:
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    for name, route in (("bug", bug), ("disk", disk), ("postgres", postgres)):
        app.add_api_route(f"/api/v1/test/{name}", route)
    app.add_middleware(WorkerHeader, value="7:123")
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_errors_answer_json_with_x_worker_and_keep_the_connection(
    failing_app: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = RawClient(failing_app)
    with caplog.at_level(logging.ERROR):
        answers = [client.request("GET", f"/test/{name}") for name in ("bug", "bug", "disk")]
        answers.append(client.request("GET", "/test/postgres"))
        answers.append(client.request("GET", "/health"))  # still the same connection
    assert [a.status for a in answers] == [500, 500, 503, 503, 200]
    assert [a.body.get("error", {}).get("code") for a in answers[:4]] == [
        "internal",
        "internal",
        "database_unavailable",
        "database_unavailable",
    ]
    assert all(a.headers.get("x-worker") == "7:123" for a in answers)
    assert all("retry-after" in a.headers for a in answers[2:4])
    assert "connection" not in answers[0].headers  # no "Connection: close"
    assert not [r for r in caplog.records if "Exception in ASGI application" in r.getMessage()]
    assert [r.getMessage() for r in caplog.records] == ["unhandled error"] * 2
