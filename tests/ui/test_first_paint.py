"""The token's first check, begun before Textual loaded (client/first_check.py), as the
App uses it: an answer already in is on the first screen; one still on its way is
awaited instead of asking again; a refusal brings the sign-in form."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest
from textual import events
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, Unauthorized
from agent_console.client.first_check import FirstCheck
from agent_console.models.agent import Agent
from agent_console.screens.login import LoginScreen
from agent_console.screens.lookup import LookupScreen
from agent_console.screens.widgets.status_bar import StatusBar
from tests.conftest import console_settings
from tests.ui.helpers import status_part, wait_for

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

AGENT = Agent(id="1001", name="Wang Fang", role="agent", agent_no="1001")


def nobody_listening() -> str:
    """A backend URL where nothing answers: only the first check can name the agent."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def console_with(check: FirstCheck) -> AgentConsole:
    """The console with token "token" whose first check is `check`, against a backend
    URL where nothing answers."""
    from agent_console.app import AgentConsole

    url = nobody_listening()
    return AgentConsole(
        console_settings(url), BackendClient(url, "token"), remember_login=False, first_check=check
    )


async def test_an_answer_already_in_is_on_the_first_screen() -> None:

    app = console_with(FirstCheck.known("token", AGENT))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.session.agent == AGENT  # set before the first paint, not after it
        await wait_for(pilot, lambda: "1001 Wang Fang" in status_part(app, "agent"))
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.focused is app.screen.typing_target()


async def test_the_lookup_screen_is_built_and_styled_once_before_the_first_paint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each resume of a screen restyles all of it (~10 ms of a ~300 ms start here):
    started in Textual's default mode and switched at mount, the lookup screen was
    resumed twice, after a blank default screen (app.py DEFAULT_MODE)."""
    resumed: list[str] = []
    resume = Screen._on_screen_resume

    def counted(screen: Screen[object], event: ScreenResume) -> None:
        resumed.append(type(screen).__name__)
        resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", counted)
    app = console_with(FirstCheck.known("token", AGENT))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "1001 Wang Fang" in status_part(app, "agent"))
        assert resumed[:1] == ["LookupScreen"]  # the first screen built is the lookup
        assert resumed.count("LookupScreen") == 1
        assert app.current_mode == "lookup"


async def test_the_first_frame_names_the_agent_or_says_signing_in() -> None:
    """What the status bar held when it was first mounted: never "not signed in" while
    a token is being checked (it flashed for a frame before on_mount set the agent)."""
    first_said: list[str] = []

    def hook(message: Message) -> None:
        node = message._sender
        if isinstance(message, events.Mount) and isinstance(node, StatusBar):
            first_said.append(node.text_of("agent"))

    on_its_way = FirstCheck()
    on_its_way.token_found.set_result("token")
    for check, said in ((FirstCheck.known("token", AGENT), "1001 Wang Fang"),
                        (on_its_way, "signing in…")):  # fmt: skip
        first_said.clear()
        app = console_with(check)
        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            await wait_for(pilot, lambda: bool(first_said))
            assert first_said[0] == said


async def test_an_answer_still_on_its_way_is_awaited() -> None:

    check = FirstCheck()
    check.token_found.set_result("token")
    app = console_with(check)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "signing in…" in status_part(app, "agent"))
        check.agent_found.set_result(AGENT)
        await wait_for(pilot, lambda: app.session.agent == AGENT)
        await wait_for(pilot, lambda: "1001 Wang Fang" in status_part(app, "agent"))


async def test_a_refused_token_brings_the_sign_in_form(server: EmbeddedBackend) -> None:
    from agent_console.app import AgentConsole

    check = FirstCheck()
    check.token_found.set_result("stale")
    check.agent_found.set_exception(Unauthorized(401, "unauthorized", "token expired"))
    app = AgentConsole(
        console_settings(server.url),
        BackendClient(server.url, "stale"),
        remember_login=False,
        first_check=check,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.session.agent is None


async def test_the_first_screen_is_styled_without_parsing_every_sheet_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual re-parsed every sheet for the lookup screen's own sheets and twice more
    for a new mode screen (50-90 ms each before the first paint on this machine)."""
    from textual.css.stylesheet import Stylesheet

    reparses: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(1)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = console_with(FirstCheck.known("token", AGENT))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LookupScreen)
        await wait_for(pilot, lambda: screen.is_mounted)
        assert reparses == []
        # Styled by the lookup screen's sheets all the same (search.tcss, lookup.tcss).
        assert screen.query_one("#lookup-query").styles.margin.top == 1
        assert str(screen.query_one("#lookup-hits").styles.height) == "1fr"


async def test_a_start_notice_comes_after_the_first_paint() -> None:
    """`No config file: ...` is a toast (its sheets parsed, mounted, laid out): it waits
    for the lookup screen's first paint instead of delaying it."""
    from textual.widgets._toast import Toast

    app = console_with(FirstCheck.known("token", AGENT))
    app.first_notices.append("No config file: using defaults")
    at_first_paint: list[int] = []
    after_first_paint = app._after_first_paint

    def noted() -> None:
        at_first_paint.append(len(app.query(Toast)) + len(app._notifications))
        after_first_paint()

    app._after_first_paint = noted  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot, lambda: any("No config file" in str(n.message) for n in app._notifications)
        )
        assert at_first_paint == [0]  # nothing told before the screen was painted
        assert isinstance(app.screen, LookupScreen)
