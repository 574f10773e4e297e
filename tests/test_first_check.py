"""The token's first check, begun on a thread before Textual loads (client/first_check.py):
against the real backend, it gives what client.me() gives, and fails the same ways."""

from __future__ import annotations

import socket
from concurrent.futures import Future

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendUnavailable, Unauthorized
from agent_console.client.first_check import FirstCheck
from agent_console.models.agent import Agent
from tests.conftest import MemoryKeyring, console_settings


def settled(found: Future[Agent | None]) -> Agent | None:
    return found.result(timeout=30)


async def test_the_environment_token_is_checked_as_client_me_checks_it(
    server: EmbeddedBackend, agent_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", agent_token)
    check = FirstCheck.begin(console_settings(server.url))
    assert check.token() == agent_token
    agent = settled(check.agent_found)
    client = BackendClient(server.url, agent_token)
    try:
        assert agent == await client.me()
    finally:
        await client.aclose()
    assert check.agent_now() == agent


def test_the_keyring_token_is_found_on_the_thread(
    server: EmbeddedBackend, agent_token: str, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password("agent-console", server.url, agent_token)
    check = FirstCheck.begin(console_settings(server.url))
    assert check.token() == agent_token
    agent = settled(check.agent_found)
    assert agent is not None and agent.id == "1001"


def test_a_refused_token_is_unauthorized(
    server: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", "not-a-token")
    check = FirstCheck.begin(console_settings(server.url))
    with pytest.raises(Unauthorized):
        settled(check.agent_found)
    assert check.agent_now() is None


def test_no_backend_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", "some-token")
    check = FirstCheck.begin(console_settings(f"http://127.0.0.1:{port}"))
    with pytest.raises(BackendUnavailable):
        settled(check.agent_found)


def test_without_a_token_nothing_is_asked(
    server: EmbeddedBackend, memory_keyring: MemoryKeyring
) -> None:
    check = FirstCheck.begin(console_settings(server.url))
    assert check.token() is None
    assert settled(check.agent_found) is None


def test_behind_a_proxy_the_app_asks_with_its_own_client(
    server: EmbeddedBackend, agent_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """http.client ignores proxy variables; httpx (the App's client) honours them."""
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", agent_token)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    check = FirstCheck.begin(console_settings(server.url))
    assert check.token() == agent_token
    assert settled(check.agent_found) is None


def test_over_http_the_check_does_not_load_http_client(
    server: EmbeddedBackend, agent_token: str
) -> None:
    """It runs beside Textual's import: http.client and its email parser cost ~13 ms
    of that (client/first_check.py speaks HTTP/1.0 on a socket instead)."""
    from tests.test_import_hygiene import loaded_after

    loaded = loaded_after(
        "import os\n"
        f"os.environ['AGENT_CONSOLE_TOKEN'] = {agent_token!r}\n"
        "from agent_console.client.first_check import FirstCheck\n"
        "from agent_console.config import parse\n"
        f"settings = parse('[backend]\\nurl = \"{server.url}\"\\n', '<test>')\n"
        "agent = FirstCheck.begin(settings).agent_found.result(30)\n"
        "assert agent is not None and agent.id == '1001', agent\n"
    )
    assert "http.client" not in loaded
