"""`agent-console login` / `logout`: the token goes to the keyring and is read back;
with no keyring the agent is told about AGENT_CONSOLE_TOKEN and nothing is written."""

from __future__ import annotations

from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from agent_console.backend_process import EmbeddedBackend
from agent_console.cli import main
from tests.conftest import API, MemoryKeyring


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, server: EmbeddedBackend) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_BACKEND", server.url)
    monkeypatch.setattr("builtins.input", lambda _prompt: "1001")
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "demo")


def test_login_stores_the_token_and_logout_revokes_it(
    answers: None,
    server: EmbeddedBackend,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["login"]) == 0
    token = memory_keyring.get_password("agent-console", server.url)
    assert token
    assert "Signed in as 1001 李静" in capsys.readouterr().out
    me = httpx.get(f"{server.url}{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["id"] == "1001"
    assert main(["logout"]) == 0
    assert memory_keyring.get_password("agent-console", server.url) is None
    again = httpx.get(f"{server.url}{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401


def test_without_a_keyring_login_says_what_to_do_and_writes_no_file(
    answers: None,
    isolated_user_dirs: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(["login"])
    finally:
        keyring.set_keyring(previous)
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "no system keyring" in err and "AGENT_CONSOLE_TOKEN" in err
    assert not [p for p in isolated_user_dirs.rglob("*") if p.is_file()]


def test_print_token_gives_a_working_token_for_the_environment(
    answers: None,
    server: EmbeddedBackend,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["login", "--print-token"]) == 0
    token = capsys.readouterr().out.strip()
    me = httpx.get(f"{server.url}{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_wrong_password_fails_with_the_servers_reason(
    monkeypatch: pytest.MonkeyPatch,
    server: EmbeddedBackend,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_BACKEND", server.url)
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "nope")
    with pytest.raises(SystemExit) as exit_info:
        main(["login", "--agent", "1001"])
    assert exit_info.value.code == 1
    assert "agent number or password is wrong" in capsys.readouterr().err
    assert memory_keyring.store == {}
