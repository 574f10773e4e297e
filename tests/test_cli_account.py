"""`agent-console account add` end to end: the admin adds accounts to a copy of the demo
database, then the real backend over it lets each sign in as its role; a wall account
reads the board and nothing else. What cannot be made says why and adds nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.cli import main
from agent_console.server.storage import open_storage
from tests.conftest import API, DemoDatabase, login

PASSWORD = "wall-screen-7"


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    password: str = PASSWORD,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    try:
        code = main(["account", "add", "--password-stdin", *args])
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(demo_db: DemoDatabase, tmp_path: Path) -> str:
    return demo_db.copy(tmp_path)


def agents(db: str) -> dict[str, str]:
    storage = open_storage(db)
    try:
        return {r["id"]: r["role"] for r in storage.all("SELECT id, role FROM agents")}
    finally:
        storage.close()


@pytest.fixture
def served(db: str, tmp_path: Path) -> Iterator[tuple[str, EmbeddedBackend]]:
    backend = EmbeddedBackend(db, demo_data=False, log_file=tmp_path / "server.log")
    yield db, backend
    backend.stop()  # nothing when it was never started


def test_a_wall_account_made_by_the_command_reads_the_board_and_nothing_else(
    served: tuple[str, EmbeddedBackend],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, backend = served
    code, out, err = run(
        ["--db", db, "--agent-no", "9901", "--name", "大屏 二楼", "--role", "wall"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert "9901 大屏 二楼 (wall)" in out
    backend.start()
    token = login(backend.url, "9901", PASSWORD)
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{backend.url}{API}/auth/me", headers=auth)
    assert (me.status_code, me.json()["role"], me.json()["name"]) == (200, "wall", "大屏 二楼")
    assert httpx.get(f"{backend.url}{API}/wallboard", headers=auth).status_code == 200
    for path in ("/callers?q=王", "/tickets/1", "/reviews", "/agents/states"):
        r = httpx.get(f"{backend.url}{API}{path}", headers=auth)
        assert r.status_code == 403, (path, r.text)
    audit = httpx.get(
        f"{backend.url}{API}/audit",
        params={"action": "account_create"},
        headers={"Authorization": f"Bearer {login(backend.url, '9001')}"},
    )
    assert [(e["target"], e["detail"]) for e in audit.json()["items"]] == [
        ("agent:9901", "role wall")
    ]


def test_an_agent_and_a_field_station_account_too(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = run(
        ["--db", db, "--agent-no", "1201", "--name", "New Agent", "--role", "agent",
         "--hotline", "12345", "--team", "C"],
        capsys, monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = run(
        ["--db", db, "--agent-no", "5101", "--name", "站", "--role", "station",
         "--station", "HS-XC"],
        capsys, monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    made = agents(db)
    assert (made["1201"], made["5101"]) == ("agent", "station")


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--agent-no", "9001", "--name", "x", "--role", "wall"], "exists already"),
        (["--agent-no", "9 01", "--name", "x", "--role", "wall"], "letters, digits"),
        (["--agent-no", "9902", "--name", " ", "--role", "wall"], "name is empty"),
        (["--agent-no", "9902", "--name", "x", "--role", "station"], "needs --station"),
        (["--agent-no", "9902", "--name", "x", "--role", "station", "--station", "NOPE"],
         "no field station"),
        (["--agent-no", "9902", "--name", "x", "--role", "wall", "--station", "HS-XC"],
         "--station is for"),
    ],
)  # fmt: skip
def test_what_cannot_be_made_says_why_and_adds_nothing(
    db: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    why: str,
) -> None:
    before = agents(db)
    code, _out, err = run(["--db", db, *args], capsys, monkeypatch)
    assert code == 2
    assert why in err and "nothing was added" in err
    assert err.count("\n") == 1
    assert agents(db) == before


def test_a_short_password_is_refused(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = run(
        ["--db", db, "--agent-no", "9902", "--name", "x", "--role", "wall"],
        capsys, monkeypatch, "short",
    )  # fmt: skip
    assert (code, "shorter than 8" in err) == (2, True)
    assert "9902" not in agents(db)
