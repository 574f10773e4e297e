"""Typing the moment a sign-in form appears: no key lost, none in the screen below.

A 114 operator types the agent number as soon as the console shows. Keys read before
the form's first field had focus were lost ("1001 Enter demo Enter" signed in as "001"
or not at all), or went into the lookup screen's search box under the form."""

from __future__ import annotations

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.idle_lock import LockScreen
from agent_console.screens.lookup import LookupScreen
from tests.conftest import AppFactory, MemoryKeyring, console_settings, login
from tests.ui.helpers import burst, wait_for
from tests.ui.test_lookup_pop import ANNA

KEYS = [*"1001", "enter", *"demo", "enter"]


@pytest.mark.parametrize("typist", ["press", "burst", "before-raw"])
async def test_keys_typed_the_moment_the_console_appears_all_go_into_the_sign_in(
    server: EmbeddedBackend, memory_keyring: MemoryKeyring, typist: str
) -> None:
    """No wait of any kind before the keys: Pilot's presses (one after another), the
    whole line queued at once as a fast typist's terminal delivers it, or as a terminal
    delivers what was typed before the console made it raw (seen in tmux)."""
    from agent_console.app import AgentConsole

    app = AgentConsole(console_settings(server.url), BackendClient(server.url, None))
    async with app.run_test(size=(80, 24)) as pilot:
        if typist == "press":
            await pilot.press(*KEYS)
        elif typist == "burst":
            burst(app, KEYS)
        else:  # typed before the terminal was raw: each Enter arrives as a line feed
            burst(app, [("ctrl+j" if key == "enter" else key) for key in KEYS])
        await wait_for(pilot, lambda: app.session.agent is not None, timeout=15)
        assert app.session.agent is not None and app.session.agent.id == "1001"
        lookup = app.get_screen_stack("lookup")[0]
        assert isinstance(lookup, LookupScreen)
        assert lookup.query_box().value == ""  # nothing typed into the screen below


async def test_keys_typed_the_moment_the_lock_appears_go_into_its_password(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """The lock screen is the same form: the password typed as it comes up unlocks.
    (A server of its own: unlocking revokes the token it replaces.) A guard, not the
    bug's proof: in Pilot the lock screen was up before the App read the next key
    even without the hold (the sign-in at start is where keys were lost)."""
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, "1003"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await wait_for(pilot, lambda: app.screen.focused is not None)

        def lock_and_type() -> None:  # on the App's own turn, as the lock timer does
            app.lock.lock("test: locked")
            burst(app, [*"demo", "enter"])

        app.call_later(lock_and_type)
        await wait_for(pilot, lambda: not app.lock.locked, timeout=15)
        assert not isinstance(app.screen, LockScreen)


async def test_a_form_up_with_nothing_focused_takes_its_field_at_the_first_key(
    server: EmbeddedBackend, memory_keyring: MemoryKeyring
) -> None:
    """A terminal that was not focused as the form was drawn leaves no field focused
    (Textual focuses only a focused app): the first key goes into the agent number."""
    from agent_console.app import AgentConsole

    app = AgentConsole(console_settings(server.url), BackendClient(server.url, None))
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.screen
        await wait_for(pilot, lambda: form.focused is not None)
        form.set_focus(None)
        burst(app, KEYS)
        await wait_for(pilot, lambda: app.session.agent is not None, timeout=15)
        assert app.session.agent is not None and app.session.agent.id == "1001"


async def test_an_enter_typed_before_the_terminal_was_raw_opens_the_lookup_hit(
    make_app: AppFactory,
) -> None:
    """Started with a token, the console opens on the lookup: a number and Enter typed
    as it starts arrive as the digits and a line feed (Ctrl+J), which must open the
    first hit as Enter does, not vanish."""
    from agent_console.screens.caller_card import CallerCardScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, [*ANNA["phone"], "ctrl+j"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen), timeout=15)
        assert ANNA["compound"] in app.screen.caller.address  # type: ignore[attr-defined]
