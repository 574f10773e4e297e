"""Scripts (F3), knowledge base (F4), ticket entry (F5) and help (F1), each driven by
its hotkey against the real backend."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from textual.widgets import Input, OptionList, TextArea

from agent_console.backend_process import EmbeddedBackend
from agent_console.config import parse
from agent_console.screens.article import ArticleScreen
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.help import HelpScreen
from agent_console.screens.scripts import GAP
from agent_console.screens.widgets.call_strip import CallStrip
from agent_console.screens.widgets.status_bar import StatusBar
from tests.conftest import AppFactory, console_settings
from tests.ui.helpers import answers, static_text, table_rows, wait_for
from tests.ui.test_lookup_screen import served_demo_caller


def option_texts(app: object, selector: str) -> list[str]:
    options = app.screen.query_one(selector, OptionList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_scripts_fill_the_agent_number_and_mark_lines_said(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: option_texts(app, "#scripts-list"))
        texts = option_texts(app, "#scripts-list")
        assert any("城发客服1001号为您服务" in t for t in texts)
        assert not any("{agent_no}" in t for t in texts)
        await pilot.press(*"城发客服")
        await wait_for(
            pilot, lambda: all("城发客服" in t for t in option_texts(app, "#scripts-list"))
        )
        await pilot.press("enter")
        assert any("城发客服1001号" in note for note in app.session.call.notes)
        assert option_texts(app, "#scripts-list")[0].startswith("✓")


async def test_caller_name_placeholder_is_a_visible_gap_without_a_caller(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: option_texts(app, "#scripts-list"))
        texts = option_texts(app, "#scripts-list")
        with_name = [t for t in texts if GAP in t]
        assert with_name, "demo scripts use {caller_name} somewhere"
        assert not any("{caller_name}" in t for t in texts)


async def test_knowledge_search_in_chinese_opens_the_article(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *"排气")
        await wait_for(
            pilot, lambda: answers(app, "排气") and "排气" in option_texts(app, "#kb-hits")[0]
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await wait_for(pilot, lambda: "Updated" in static_text(app, "#article-meta"))
        await pilot.press("escape")
        assert app.current_mode == "kb"


async def test_knowledge_search_in_english(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *"radiator")
        await wait_for(
            pilot,
            lambda: (
                answers(app, "radiator") and "adiator" in "".join(option_texts(app, "#kb-hits")[:3])
            ),
        )


async def test_ticket_for_the_caller_on_the_line_keyboard_only(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*caller["account_no"], "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: caller["name"] in static_text(app, "#ticket-caller"))
        summary = f"暖气半热半凉 {caller['id']}"
        await pilot.press(*summary)
        await pilot.press("tab")  # to the category filter: type, Enter picks the best
        await pilot.press(*"局部", "enter")
        await wait_for(pilot, lambda: app.screen.category_id == "heat.no_heat.partial")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
        tickets = api.get("/tickets", params={"caller_id": caller["id"]}).json()["items"]
        assert [t["summary"] for t in tickets if t["summary"] == summary] == [summary]
        assert app.screen.query_one("#ticket-summary", Input).value == ""


async def test_ticket_validation_keeps_everything_typed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.press(*"no category chosen")
        app.screen.query_one("#ticket-notes", TextArea).text = "记下的内容"
        await pilot.press("ctrl+s")
        assert "Choose a category" in static_text(app, "#err-category")
        assert app.screen.query_one("#ticket-summary", Input).value == "no category chosen"
        assert app.screen.query_one("#ticket-notes", TextArea).text == "记下的内容"
        await pilot.press("f2", "f5")  # a screen switch loses nothing either
        assert app.screen.query_one("#ticket-summary", Input).value == "no category chosen"


async def test_help_is_generated_from_the_active_keymap(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    settings = parse('[keymap.keys]\n"screen.lookup" = "alt+l"\n', "<test>")
    settings = dataclasses.replace(
        settings,
        backend=console_settings(server.url).backend,
        lookup=console_settings(server.url).lookup,
    )
    app = make_app(settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = {r[3]: r[0] for r in table_rows(app, "#help-keys")}
        assert rows["screen.lookup"] == "Alt+L"
        assert rows["ticket.save"] == "Ctrl+S"
        await pilot.press("escape", "alt+l")
        assert app.current_mode == "lookup"
        await pilot.press("f4", "f2")  # f2 no longer opens lookup
        assert app.current_mode == "kb"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_status_bar_keeps_everything_an_agent_needs_at_80_columns(
    make_app: AppFactory, language: str
) -> None:
    """The worst line: not ready, backend down, stream retrying, tickets waiting, a call."""
    from agent_console import i18n

    i18n.set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        # The outbox service counts its (empty) file in the background and would put
        # the waiting count back to 0: this test sets the worst line by hand.
        app.outbox._show = lambda counts: None  # type: ignore[method-assign]
        session = app.session
        session.seat.change("not_ready", "break")
        session.backend_ok = False
        session.events = "retrying"
        session.outbox_waiting = 3
        session.call.begin("13904711234")
        app.publish_status()
        bar = app.screen.query_one(StatusBar)
        parts = ("agent", "state", "backend", "events", "outbox")
        # Every part drawn whole inside the 80 columns: placed() is where the last draw
        # put each one (a part pushed past the edge is cut off there).
        await wait_for(pilot, lambda: set(parts) <= set(bar.placed()))
        for part in parts:
            assert bar.placed()[part][1] <= 80, (part, bar.placed())
        strip = app.screen.query_one(CallStrip)  # the call has its own line (issue 13)
        call_parts = ("phase", "who", "time")
        await wait_for(pilot, lambda: set(call_parts) <= set(strip.placed()))
        for part in call_parts:
            assert strip.placed()[part][1] <= 80, (part, strip.placed())
