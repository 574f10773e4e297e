"""Signing in, the status bar, a backend that goes away, and hostile caller data."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.login import LoginScreen
from tests.conftest import AppFactory, MemoryKeyring, console_settings
from tests.ui.helpers import burst, static_text, status_part, table_rows, wait_for


async def test_login_screen_signs_in_and_stores_the_token_in_the_keyring(
    server: EmbeddedBackend, memory_keyring: MemoryKeyring
) -> None:
    from agent_console.app import AgentConsole

    app = AgentConsole(console_settings(server.url), BackendClient(server.url, None))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press("f2")  # no screen hotkeys before signing in
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"1001", "enter", *"wrong", "enter")
        await wait_for(pilot, lambda: "wrong" in static_text(app, "#login-error"))
        assert app.screen.query_one("#login-password", Input).value == ""
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: app.session.agent is not None)
        assert app.session.agent.id == "1001"
        # The bar redraws on its own turn (the status signal posts to it): wait for it.
        await wait_for(pilot, lambda: "1001" in status_part(app, "agent"))
        stored = memory_keyring.get_password("agent-console", server.url)
        assert stored == app.client.token


async def test_tab_typed_at_once_behind_the_agent_number_moves_to_the_password(
    server: EmbeddedBackend, memory_keyring: MemoryKeyring
) -> None:
    """A fast typist's "1001<Tab>demo<Enter>" arrives as one burst: the Tab must move
    before the keys behind it are read (it went to the agent number: "1001demo")."""
    from agent_console.app import AgentConsole

    app = AgentConsole(console_settings(server.url), BackendClient(server.url, None))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        burst(app, [*"1001", "tab", *"demo", "enter"])
        await wait_for(pilot, lambda: app.session.agent is not None)
        assert app.session.agent.id == "1001"


async def test_tab_typed_at_once_in_the_ticket_form_moves_to_the_category(
    make_app: AppFactory,
) -> None:
    """The same burst on the ticket form: summary, Tab, a category word, Enter."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        form = app.screen
        await wait_for(pilot, lambda: form._categories)
        burst(app, [*"暖气漏水", "tab", *"局部", "enter"])
        await wait_for(pilot, lambda: form.category_id == "heat.no_heat.partial")
        assert form.query_one("#ticket-summary", Input).value == "暖气漏水"


async def test_status_bar_says_when_the_backend_goes_down_and_the_console_keeps_working(
    demo_db_template: Path, tmp_path: Path
) -> None:
    from agent_console.app import AgentConsole
    from tests.conftest import login, start_backend

    backend = start_backend(demo_db_template, tmp_path / "srv")
    token = login(backend.url)
    app = AgentConsole(console_settings(backend.url), BackendClient(backend.url, token))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "online" in status_part(app, "backend"))
        backend.stop()
        await pilot.press(*"王")
        await wait_for(pilot, lambda: "unreachable" in static_text(app, "#lookup-status"))
        await wait_for(pilot, lambda: "BACKEND DOWN" in status_part(app, "backend"))
        await pilot.press("f4", "f3", "f2")
        assert app.is_running
        assert app.screen.query_one("#lookup-query", Input).value == "王"


HOSTILE = "[@click=app.quit]x[/] [b]粗[/b] \x1b]52;c;ZXZpbA==\x07 \u202egnp.exe"


async def test_hostile_caller_data_is_shown_literally_and_harmlessly(
    fresh_server: EmbeddedBackend,
) -> None:
    """Inserted straight into the database, as a foreign backend or an old import might
    hold it: the console's own decoding must strip the controls and render the rest
    as text."""
    from agent_console.app import AgentConsole
    from agent_console.server.storage import open_storage
    from tests.conftest import login

    storage = open_storage(str(fresh_server.db))
    storage.bulk_load(
        "callers",
        [
            {
                "name": HOSTILE,
                "phone": "13811112222",
                "address": HOSTILE,
                "compound": "",
                "notes": HOSTILE,
            }
        ],
    )
    storage.close()
    token = login(fresh_server.url)
    app = AgentConsole(console_settings(fresh_server.url), BackendClient(fresh_server.url, token))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press(*"13811112222")
        await wait_for(pilot, lambda: table_rows(app, "#lookup-hits"))
        name_cell = table_rows(app, "#lookup-hits")[0][1]
        assert name_cell == "[@click=app.quit]x[/] [b]粗[/b] ]52;c;ZXZpbA== gnp.exe"
        await pilot.click("#lookup-hits", offset=(12, 1))  # clicking the name runs nothing
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        shown = static_text(app, "#card-name")
        assert "[@click=app.quit]x[/]" in shown and "[b]粗[/b]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "[b]粗[/b]" in static_text(app, "#card-notes")
        await pilot.click("#card-name")
        assert app.is_running


async def test_hostile_text_through_the_api_is_stored_without_controls(api: httpx.Client) -> None:
    r = api.post("/callers", json={"name": HOSTILE, "phone": "13822223333"})
    assert r.status_code == 201
    assert r.json()["name"] == "[@click=app.quit]x[/] [b]粗[/b] ]52;c;ZXZpbA== gnp.exe"
