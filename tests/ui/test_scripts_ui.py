"""Scripts (F3) on the real App and backend: placeholders from the call, the caller's
language, the four-more checklist before closing, a guided walk that ends in a
pre-filled ticket, and the seat's cache when the backend is down."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Input, OptionList, Select, TextArea

from agent_console import script_cache, scripting
from agent_console.backend_process import EmbeddedBackend
from agent_console.practice.engine_io import ScriptSaid
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.four_more import FourMoreScreen
from agent_console.screens.guide import GuideScreen
from agent_console.screens.scripts import GAP
from agent_console.screens.ticket import TicketScreen
from tests.conftest import AppFactory, login
from tests.ui.helpers import static_text, wait_for
from tests.ui.test_lookup_screen import served_demo_caller

ANNA_ACCOUNT = "4718085468"  # demo caller Anna Schmidt, language en


def phrases(app: object) -> list[str]:
    options = app.screen.query_one("#scripts-list", OptionList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_caller(pilot: object, app: object, account_no: str) -> None:
    await pilot.press("f2", *account_no, "enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))  # type: ignore[attr-defined,arg-type]


@pytest.fixture
def morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scripting, "current_hour", lambda: 8)


async def test_placeholders_come_from_agent_caller_hotline_and_time(
    make_app: AppFactory, api: httpx.Client, morning: None
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_caller(pilot, app, caller["account_no"])
        await pilot.press("f3")
        await wait_for(pilot, lambda: "城发客服" in static_text(app, "#scripts-status"))
        texts = phrases(app)
        # The greeting written for the morning comes first, filled in.
        assert "早上好，城发客服1001号为您服务" in texts[0]
        assert any(f"{caller['name']}，实在抱歉，经查询您所在的小区" in t for t in texts)
        assert not any("{" in t or GAP in t for t in texts)
        assert not any("夜间问候语" in t for t in texts)  # the night greeting waits for night
        assert "中文 (caller)" in static_text(app, "#scripts-status")


async def test_language_follows_the_caller_and_ctrl_t_switches_it(
    make_app: AppFactory, api: httpx.Client, morning: None
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_caller(pilot, app, ANNA_ACCOUNT)
        await pilot.press("f3")
        await wait_for(pilot, lambda: "English (caller)" in static_text(app, "#scripts-status"))
        await wait_for(
            pilot, lambda: "Chengfa Customer Service" in static_text(app, "#scripts-status")
        )
        texts = phrases(app)
        assert "agent 1001 speaking" in texts[0]
        assert any("I'm very sorry your home is cold, Anna Schmidt." in t for t in texts)
        await pilot.press("ctrl+t")
        assert "中文 (agent's choice)" in static_text(app, "#scripts-status")
        assert "城发客服1001号" in phrases(app)[0]
        await open_caller(pilot, app, served_demo_caller(api)["account_no"])  # the next call
        await pilot.press("f3")
        assert "中文 (caller)" in static_text(app, "#scripts-status")


async def test_closing_phrase_asks_the_four_more_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: phrases(app))
        await pilot.press(*"标准结束语", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FourMoreScreen))
        await pilot.press("escape")  # not yet: nothing said
        assert not any("感谢您的来电" in n for n in app.session.call.notes)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FourMoreScreen))
        await pilot.press("1", "down", "down", "space", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, FourMoreScreen))
        notes = app.session.call.notes
        assert "四多: ✓ 多问一声 ✓ 多说一句" in notes
        assert any("感谢您的来电，挂机后请您对我的服务进行评价" in n for n in notes)
        assert phrases(app)[0].startswith("✓")
        await pilot.press("enter")  # asked once per call: the next closing goes straight on
        assert not isinstance(app.screen, FourMoreScreen)


async def test_leak_guide_walk_ends_in_a_prefilled_emergency_ticket(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    recorded: list[object] = []
    record = app.record
    app.record = lambda event: (recorded.append(event), record(event))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await open_caller(pilot, app, caller["account_no"])
        await pilot.press("f3", *"跑水")
        await wait_for(pilot, lambda: any("按顺序关阀" in t for t in phrases(app)))
        index = next(i for i, t in enumerate(phrases(app)) if "按顺序关阀" in t)
        await pilot.press(*["down"] * index, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GuideScreen))
        assert caller["name"] in static_text(app, "#guide-say")
        await pilot.press("1")  # ready to close valves
        assert "入户处的进水阀" in static_text(app, "#guide-say")
        said = [e for e in recorded if isinstance(e, ScriptSaid) and e.stage == "guide"]
        assert said and caller["name"] in said[0].text  # practice hears what was said
        await pilot.press("2", "1")  # still leaking -> stairwell; then a wrong key
        assert "单元地沟井" not in static_text(app, "#guide-say")
        await pilot.press("backspace")  # take "stopped at the stairwell" back
        assert "楼道管井" in static_text(app, "#guide-say")
        await pilot.press("2", "1")  # still leaking -> trench; closed, stopped
        assert "Open the ticket" in str(
            app.screen.query_one("#guide-choices", OptionList).get_option_at_index(0).prompt
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        screen = app.screen
        summary = screen.query_one("#ticket-summary", Input)
        await wait_for(pilot, lambda: summary.value.startswith("户内跑水：关闭单元地沟井阀门"))
        await wait_for(
            pilot,
            lambda: screen.category_id == "heat.leak.in_flat",
        )
        assert screen.query_one("#ticket-priority", Select).value == "urgent"
        notes = screen.query_one("#ticket-notes", TextArea).text
        assert "户内阀门关闭后仍漏（或关不上、找不到）" in notes
        assert "关闭单元地沟井阀门后止漏" in notes
        assert "关闭楼道管井阀门后止漏" not in notes  # the answer taken back
        assert caller["name"] in static_text(app, "#ticket-caller")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    tickets = api.get("/tickets", params={"caller_id": caller["id"]}).json()["items"]
    ticket = next(t for t in tickets if t["summary"].startswith("户内跑水：关闭单元地沟井"))
    assert (ticket["category"], ticket["priority"]) == ("heat.leak.in_flat", "urgent")


async def test_f5_in_the_middle_of_a_guide_takes_what_is_known(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", *"排气")
        await wait_for(pilot, lambda: any("指导排气" in t for t in phrases(app)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GuideScreen))
        await pilot.press("1")  # one radiator half hot
        await pilot.press("f5")
        summary = app.screen.query_one("#ticket-summary", Input)
        await wait_for(pilot, lambda: summary.value.startswith("暖气片半热半凉："))
        summary.value = "我自己写的摘要"
        await pilot.press("f3", *"排气", "enter")  # back to the guide: it goes on
        await wait_for(pilot, lambda: isinstance(app.screen, GuideScreen))
        assert "排气阀" in static_text(app, "#guide-say")
        await pilot.press("1", "1")  # bled; warm now
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        assert app.screen.query_one("#ticket-summary", Input).value == "我自己写的摘要"
        assert "排气后暖气片变热" in app.screen.query_one("#ticket-notes", TextArea).text


async def test_phrases_stay_from_the_cache_when_the_backend_goes_down(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    token = login(fresh_server.url)
    app = make_app(url=fresh_server.url, token=token)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.session.agent is not None)
        # The backend's phrases have arrived (and been cached): "refreshing" only shows
        # when there was a cache, so waiting for it to go raced the fetch under load.
        await wait_for(pilot, lambda: app.screen._fetched_at > 0)
        assert script_cache.load(fresh_server.url) is not None
        fresh_server.stop()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "unreachable" in static_text(app, "#scripts-status"))
        assert "cached phrases from" in static_text(app, "#scripts-status")
        assert "城发客服1001号为您服务" in phrases(app)[0]

    # A console started while the backend is down shows the cached phrases at once.
    later = make_app(url=fresh_server.url, token=token)
    async with later.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        assert any("城发客服" in t for t in phrases(later))  # no network wait at all
        await wait_for(pilot, lambda: "unreachable" in static_text(later, "#scripts-status"))
        assert "961655" in static_text(later, "#scripts-status")


async def test_phrases_come_by_themselves_once_a_backend_that_was_away_answers(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """No cache and the backend away when F3 first opens: the phrases load as soon as
    the backend answers, without the agent leaving the screen and coming back."""
    token = login(fresh_server.url, "1001")
    fresh_server.stop()
    app = make_app(url=fresh_server.url, token=token)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.current_mode == "scripts" and app.screen._failure)
        assert phrases(app) == []
        fresh_server.start()  # back on the same port
        await wait_for(pilot, lambda: phrases(app))
        assert app.current_mode == "scripts"
