"""Ctrl+Q asks first during a call or with a ticket not saved, and quits at once on an
idle seat; a signal never asks (the terminal that sent it may be gone)."""

from __future__ import annotations

import signal

import httpx
from textual.widgets import Input, Static

from agent_console.screens.quit_question import QuitQuestion
from agent_console.screens.ticket import TicketScreen
from tests.conftest import AppFactory
from tests.ui.helpers import wait_for
from tests.ui.test_lookup_screen import served_demo_caller
from tests.ui.test_quit_while_mounting import until_stopped
from tests.ui.test_scripts_ui import open_caller


def question_text(app: object) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))  # type: ignore[attr-defined]


async def test_quitting_an_idle_seat_is_immediate(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("ctrl+q")
        await until_stopped(app)
    assert app.return_code == 0


async def test_quitting_during_a_call_asks_and_stay_keeps_the_call(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_caller(pilot, app, caller["account_no"])
        card = app.screen
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion))
        shown = question_text(app)
        assert "call is in progress" in shown
        assert caller["name"] in shown and caller["phone"] in shown  # masked
        assert "not saved" not in shown
        await pilot.press("ctrl+q")  # a second Ctrl+Q is not an answer
        await pilot.press("escape")  # stay
        await wait_for(pilot, lambda: app.screen is card)
        assert app.is_running and app.session.call.caller is not None
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion))
        await pilot.press("enter")  # quit anyway
        await until_stopped(app)
    assert app.return_code == 0


async def test_quitting_with_an_unsaved_ticket_asks(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5", *"水管漏了")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        form = app.screen
        await wait_for(pilot, lambda: form.query_one("#ticket-summary", Input).value == "水管漏了")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion))
        shown = question_text(app)
        assert "not saved" in shown and "call is in progress" not in shown
        await pilot.press("ctrl+f12")  # the language switched while the question is up
        await wait_for(pilot, lambda: "尚未保存" in question_text(app))
        assert "not saved" not in question_text(app)
        await pilot.press("ctrl+f12")
        await wait_for(pilot, lambda: "not saved" in question_text(app))
        await pilot.press("n")  # stay: the text is still there
        await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#ticket-summary", Input).value == "水管漏了"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion))
        await pilot.press("y")
        await until_stopped(app)
    assert app.return_code == 0


async def test_a_signal_during_a_call_never_asks(make_app: AppFactory, api: httpx.Client) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_caller(pilot, app, caller["account_no"])
        app.leave_seat(signal.SIGTERM)
        await until_stopped(app)
        assert not isinstance(app.screen, QuitQuestion)
    assert app.return_code == 128 + signal.SIGTERM
