"""The new-caller form left with Esc keeps what was typed for the rest of the call:
Esc is the key an agent presses by reflex, and a caller's details typed once must not
need typing again. Ctrl+Q asks while they are not saved; saving or the next call
forgets them. Real App, real server."""

from __future__ import annotations

import uuid

import httpx
from textual.widgets import Input, Static

from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.new_caller import NewCallerScreen
from agent_console.screens.quit_question import QuitQuestion
from agent_console.seat.call import CallContext
from tests.conftest import AppFactory
from tests.ui.helpers import static_text, wait_for


def question_text(app: object) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))  # type: ignore[attr-defined]


async def test_esc_keeps_the_new_callers_details_for_the_call_and_save_forgets_them(
    make_app: AppFactory, api: httpx.Client
) -> None:
    number = f"1391{uuid.uuid4().int % 10**7:07d}"
    name = f"Kept {uuid.uuid4().hex[:6]}"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f2", *number, "ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))
        form = app.screen
        assert form.query_one("#new-phone", Input).value == number
        await pilot.press(*name)
        await wait_for(pilot, lambda: form.query_one("#new-name", Input).value == name)
        await pilot.press("escape")  # by reflex
        await wait_for(pilot, lambda: not isinstance(app.screen, NewCallerScreen))
        kept = app.session.call.new_caller
        assert kept is not None and (kept["name"], kept["phone"]) == (name, number)
        assert "New caller kept for this call" in list(app._notifications)[-1].message

        await pilot.press("ctrl+q")  # not saved: quitting asks, and says why
        await wait_for(pilot, lambda: isinstance(app.screen, QuitQuestion))
        assert "new caller's details" in question_text(app)
        await pilot.press("n")

        await pilot.press("ctrl+n")  # the form again: as it was left
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))
        again = app.screen
        assert again is not form
        assert again.query_one("#new-name", Input).value == name
        assert again.query_one("#new-phone", Input).value == number
        assert "is back" in static_text(app, "#new-status")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.session.call.new_caller is None  # saved: nothing left to bring back
    found = api.get("/callers", params={"q": number}).json()["items"]
    assert [c["name"] for c in found] == [name]


async def test_esc_on_a_form_with_nothing_typed_keeps_nothing(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f2", *"13800001111", "ctrl+n")  # the number handed in only
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewCallerScreen))
        assert app.session.call.new_caller is None
        await pilot.press("ctrl+q")  # nothing would be lost: quits at once
        await wait_for(pilot, lambda: not app.is_running)


def test_the_next_call_starts_with_a_blank_new_caller_form() -> None:
    call = CallContext()
    call.new_caller = {"name": "Kept", "phone": "13900000000"}
    call.begin("13800000000", 7)
    assert call.new_caller is None
