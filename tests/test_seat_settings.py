"""The seat's settings (idle lock, theme) and the client's one place that notices a
session has ended (a 401 for the token in use), against the real backend."""

from __future__ import annotations

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, Unauthorized
from agent_console.config import THEMES, parse
from agent_console.problems import ConfigError
from tests.conftest import API, login


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(text, "c.toml")
    return [str(p) for p in info.value.problems]


def test_idle_lock_minutes_default_off_and_range() -> None:
    assert parse("", "<defaults>").console.idle_lock_minutes == 15.0
    assert parse("[console]\nidle_lock_minutes = 0\n", "c").console.idle_lock_minutes == 0.0
    assert parse("[console]\nidle_lock_minutes = 5\n", "c").console.idle_lock_minutes == 5.0
    assert problems("[console]\nidle_lock_minutes = -1\n") == [
        "c.toml:2:21: console.idle_lock_minutes must be between 0 and 240"
    ]
    assert problems("[console]\nidle_lock_minutes = 'soon'\n") == [
        "c.toml:2:21: console.idle_lock_minutes must be a number, not 'soon'"
    ]


def test_theme_names_are_checked_without_textual_and_all_exist_in_the_app() -> None:
    assert parse("[console]\ntheme = 'high-contrast'\n", "c").console.theme == "high-contrast"
    [problem] = problems("[console]\ntheme = 'hi-contrast'\n")
    assert problem.startswith("c.toml:2:9: console.theme must be one of textual-dark")
    from textual.app import App

    from agent_console.screens.themes import register

    app: App[None] = App()
    register(app)
    assert set(THEMES) <= set(app.available_themes)


async def test_the_client_reports_a_refused_token_once_and_only_for_the_token_in_use(
    server: EmbeddedBackend,
) -> None:
    token = login(server.url, "1002")
    ended: list[str] = []
    client = BackendClient(server.url, token, on_unauthorized=lambda: ended.append("401"))
    try:
        assert (await client.me()).id == "1002"
        with pytest.raises(Unauthorized):  # a wrong password is not an ended session
            await client.login("1002", "wrong")
        assert ended == []
        httpx.post(f"{server.url}{API}/auth/logout", headers={"Authorization": f"Bearer {token}"})
        with pytest.raises(Unauthorized):
            await client.me()
        assert ended == ["401"]
        with pytest.raises(Unauthorized):  # the event stream says so too
            async for _ in client.events():
                pass
        assert ended == ["401", "401"]
        # A request still in flight with the old token after a new sign-in: not news.
        client.token = login(server.url, "1002")
        with pytest.raises(Unauthorized):
            old = {"Authorization": f"Bearer {token}"}
            await client.request("GET", "/auth/me", headers=old, auth=False)
        assert ended == ["401", "401"]
    finally:
        await client.aclose()
