"""Every agent-side dialog says what its keys do (issue 17): it is a Dialog
(screens/dialog.py), so it has a key bar of its own instead of showing the bar of the
screen beneath, whose keys it swallows. Checked over the modules, so a new dialog
cannot be made without it; and the bar's words, without a terminal."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import ModalScreen

from agent_console import screens
from agent_console.backend_process import EmbeddedBackend
from agent_console.key_hints import Hint
from agent_console.screens.confirm import ConfirmScreen
from agent_console.screens.dialog import Dialog
from agent_console.screens.four_more import FourMoreScreen
from tests.conftest import AppFactory


def modal_screens() -> list[type[ModalScreen]]:
    for module in pkgutil.walk_packages(screens.__path__, "agent_console.screens."):
        importlib.import_module(module.name)
    found: list[type[ModalScreen]] = []
    todo = list(ModalScreen.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("agent_console.screens."):
            found.append(cls)
    return found


def test_every_dialog_has_its_own_keys() -> None:
    found = modal_screens()
    assert {"SeatPicker", "ConfirmScreen", "CallNoteScreen", "HelpScreen", "SeatActionsScreen",
            "SignOutQuestion"} <= {c.__name__ for c in found}  # fmt: skip
    assert [c.__name__ for c in found if not issubclass(c, Dialog)] == []


def test_a_question_names_its_answers_and_y_n_too() -> None:
    question = ConfirmScreen("Quit?", [], "", yes="quit anyway", no="stay")
    bound = [
        Hint("confirm.yes", "Enter", "Yes, go ahead", "Yes", False),
        Hint("confirm.no", "Esc", "No, go back", "No", False),
    ]
    shown = [(h.key, h.label) for h in question.key_hints(bound)]
    assert shown == [("Enter/y", "quit anyway"), ("Esc/n", "stay")]


def test_a_bound_key_that_does_what_a_widget_key_does_joins_it() -> None:
    four = FourMoreScreen("en")
    bound = [
        Hint("four.toggle", "Space", "Tick", "", False),
        Hint("four.done", "Enter", "Done", "", False),
    ]
    shown = [(h.key, h.label) for h in four.key_hints(bound)]
    assert shown == [("Space/1-4", "Tick"), ("Enter", "Done")]


async def test_a_question_and_the_flag_form_follow_a_switch_while_up() -> None:
    """The answers in the bar and the flag's reasons were words of the old language."""
    from textual.app import App
    from textual.widgets import OptionList

    from agent_console import i18n
    from agent_console.screens.flag import FlagScreen
    from agent_console.screens.language import switch_language
    from agent_console.screens.widgets.key_bar import KeyBar

    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        question = ConfirmScreen(
            i18n._("Quit the console?"), [], "", yes=i18n._("quit anyway"), no=i18n._("stay")
        )
        await app.push_screen(question)
        await app.push_screen(FlagScreen(1, "停暖通知"))
        switch_language(app, "zh")
        await pilot.pause()
        flag = app.screen
        reasons = [str(o.prompt) for o in flag.query_one("#flag-reasons", OptionList).options]
        outdated = "Outdated (it was right once)"
        assert reasons[0] == i18n._(outdated) != outdated
        assert "取消" in str(flag.query_one(KeyBar).render())
        app.pop_screen()
        await pilot.pause()
        bar = str(question.query_one(KeyBar).render())
        assert i18n._("quit anyway") in bar and "quit anyway" not in bar, bar


async def test_a_picker_closed_by_a_screen_key_opens_again(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """F10, then F2 instead of a code: the screen key closes the picker without an
    answer. F10 must open it again (a flag left set kept it shut for the session)."""
    from agent_console.screens.seat import SeatPicker
    from tests.conftest import login
    from tests.ui.helpers import wait_for
    from tests.ui.test_lookup_pop import ANNA, ring

    app = make_app(url=fresh_server.url, token=login(fresh_server.url, "1003"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(fresh_server, agent_id="1003", number=ANNA["phone"])
        await wait_for(pilot, lambda: app.seat.core.phase is not None)
        await pilot.press("ctrl+f2")
        await wait_for(pilot, lambda: app.seat.core.phase == "on_call")
        for _ in range(2):
            await pilot.press("f10")
            await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
            await pilot.press("f2")
            await wait_for(pilot, lambda: not isinstance(app.screen, SeatPicker))
        assert app.seat.core.phase == "acw"  # the code is still owed
