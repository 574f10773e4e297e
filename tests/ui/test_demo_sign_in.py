"""The demo's sign-in on a thread (FirstCheck.sign_in): the console is drawn and takes
keys while its backend boots, and the agent (and the token) come when it answers; a
trainee's practice starts then; a sign-in that fails ends the console."""

from __future__ import annotations

import threading

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.client.first_check import FirstCheck
from agent_console.models.agent import Agent
from agent_console.screens.lookup import LookupScreen
from agent_console.text import clean_tree
from tests.conftest import console_settings
from tests.ui.helpers import status_part, wait_for


def held_sign_in(server: EmbeddedBackend, agent_id: str, go: threading.Event) -> FirstCheck:
    """A sign-in that answers once `go` is set (the backend still booting until then)."""

    def sign_in() -> tuple[str, Agent]:
        if not go.wait(30):
            raise RuntimeError("the test never let the sign-in through")
        token, agent = server.sign_in_agent(agent_id, "demo")
        return token, Agent.from_json(clean_tree(agent))

    return FirstCheck.sign_in(sign_in)


async def test_the_console_is_drawn_and_typed_into_before_the_sign_in_answers(
    server: EmbeddedBackend,
) -> None:
    from agent_console.app import AgentConsole

    go = threading.Event()
    check = held_sign_in(server, "1001", go)
    client = BackendClient(server.url, None)
    app = AgentConsole(
        console_settings(server.url), client, remember_login=False, first_check=check, practice=None
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))
        # what the seat is waiting for, not "not signed in" (the agent did nothing wrong)
        await wait_for(pilot, lambda: "signing in…" in status_part(app, "agent"))
        await pilot.press("1", "3", "8")  # the agent types while the backend boots
        assert app.session.agent is None and client.token is None
        go.set()
        await wait_for(pilot, lambda: app.session.agent is not None)
        await wait_for(pilot, lambda: "1001 " in status_part(app, "agent"))
        assert client.token  # the sign-in's token, for every request from now on
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.query_box().value == "138"
        assert not app.session.practice


async def test_a_trainee_practises_once_the_sign_in_names_the_role(
    server: EmbeddedBackend,
) -> None:
    from agent_console.app import AgentConsole
    from agent_console.screens.practice.panel import PracticePanel

    go = threading.Event()
    check = held_sign_in(server, "2001", go)
    app = AgentConsole(
        console_settings(server.url),
        BackendClient(server.url, None),
        remember_login=False,
        first_check=check,
        practice=None,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LookupScreen))
        lookup = app.screen
        assert not lookup.query(PracticePanel)  # drawn before anyone said "trainee"
        go.set()
        await wait_for(pilot, lambda: app.session.practice)
        await wait_for(pilot, lambda: bool(lookup.query(PracticePanel)))


async def test_a_sign_in_that_fails_ends_the_console(server: EmbeddedBackend) -> None:
    from agent_console.app import AgentConsole

    def sign_in() -> tuple[str, Agent]:
        raise RuntimeError("the backend exited while starting")

    app = AgentConsole(
        console_settings(server.url),
        BackendClient(server.url, None),
        remember_login=False,
        first_check=FirstCheck.sign_in(sign_in),
        practice=None,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 1
