"""Lookup (F2) against the real backend: type, see hits, Enter opens the caller card."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.lookup import LookupScreen
from tests.conftest import API, AppFactory, DemoDatabase, login, start_backend
from tests.ui.helpers import answers, burst, static_text, table_rows, wait_for


def served_demo_caller(api: httpx.Client) -> dict:
    for c in api.get("/callers", params={"q": "王", "limit": 50}).json()["items"]:
        if c["account_no"] and c["served"]:
            return c
    raise AssertionError("no served demo caller named 王")


async def test_type_an_account_number_and_open_the_card(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.press(*caller["account_no"])
        await wait_for(
            pilot, lambda: answers(app, caller["account_no"]) and table_rows(app, "#lookup-hits")
        )
        rows = table_rows(app, "#lookup-hits")
        assert rows[0][:2] == ["account", caller["name"]]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await wait_for(pilot, lambda: caller["name"] in static_text(app, "#card-name"))
        assert "✓ Served" in static_text(app, "#card-served")
        assert app.session.call.caller.id == caller["id"]
        await pilot.press("escape")
        assert isinstance(app.screen, LookupScreen)


async def test_burst_of_hotkey_digits_and_enter_from_another_screen(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "kb")
        burst(app, ["f2", *caller["account_no"], "enter"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.id == caller["id"]
        assert app.screen_stack[0].query_one("#lookup-query").value == caller["account_no"]


async def test_pinyin_initials_of_a_caller(make_app: AppFactory, api: httpx.Client) -> None:
    from agent_console.server.textkeys import pinyin_initials

    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        initials = pinyin_initials(caller["name"], person=True)
        await pilot.press(*initials)
        # The hits of the whole initials, not of the initials a key short (which can hold
        # the same caller among hits of other kinds).
        await wait_for(
            pilot,
            lambda: (
                answers(app, initials)
                and any(r[1] == caller["name"] for r in table_rows(app, "#lookup-hits"))
            ),
        )
        assert {r[0] for r in table_rows(app, "#lookup-hits")} == {"initials"}


async def test_unserved_caller_is_told_at_once(make_app: AppFactory, api: httpx.Client) -> None:
    unserved = None
    for q in ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"):
        found = [
            c
            for c in api.get("/callers", params={"q": q, "limit": 100}).json()["items"]
            if c["served"] is False
        ]
        if found:
            unserved = found[0]
            break
    assert unserved is not None
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        query = unserved["account_no"] or unserved["name"]
        await pilot.press(*query)
        await wait_for(pilot, lambda: answers(app, query) and table_rows(app, "#lookup-hits"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert "NOT SERVED" in static_text(app, "#card-served")
        assert unserved["compound"] in static_text(app, "#card-served")


async def test_escape_clears_and_nothing_found_is_said(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"zzzzqqq")
        await wait_for(
            pilot,
            lambda: (
                answers(app, "zzzzqqq") and "no caller found" in static_text(app, "#lookup-status")
            ),
        )
        await pilot.press("escape")
        assert app.screen.query_one("#lookup-query").value == ""
        assert table_rows(app, "#lookup-hits") == []


async def test_burst_right_after_start_reaches_a_screen_still_mounting(
    make_app: AppFactory,
) -> None:
    """The other screens mount after the first paint; a hotkey burst that arrives
    before they finish must still land whole, in order, in the new screen."""
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, ["f5", *"漏水 3号楼"])
        await wait_for(pilot, lambda: app.current_mode == "ticket")
        await wait_for(
            pilot, lambda: app.screen.query_one("#ticket-summary", Input).value == "漏水 3号楼"
        )


async def test_the_next_query_replaces_the_last_one(
    make_app: AppFactory, api: httpx.Client
) -> None:
    """A 114 operator answers call after call: F2 and typing starts a new query, and the
    previous one is still visible (selected) until the first key replaces it."""
    from textual.widgets import Input

    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, ["f2", *"zzzz", "f4", "f2"])
        await wait_for(pilot, lambda: app.current_mode == "lookup")
        query = app.screen.query_one("#lookup-query", Input)
        await wait_for(pilot, lambda: query.selected_text == "zzzz")
        burst(app, [*caller["account_no"], "enter"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert query.value == caller["account_no"]


async def spend_the_search_budget(api: httpx.Client) -> None:
    """Search until refused with the next search 4 s or more away (a 429 alone may come
    a moment before the next search is allowed: the typed query would then pass)."""
    while True:
        r = api.get("/callers", params={"q": "李"})
        if r.status_code == 429 and float(r.headers["Retry-After"]) >= 4:
            return
        await asyncio.sleep(0.05)


async def test_a_search_refused_for_now_runs_again_and_enter_still_opens_the_card(
    make_app: AppFactory, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    """The agent's search budget spent (429 with Retry-After): the newest query runs
    again when the server allows it, and the Enter typed meanwhile opens the card.
    Before, the box kept "too many searches" and the Enter was lost (CI found it: the
    test suite's agent spends the default budget faster than any agent could)."""
    # One search back every 5 s: the budget stays spent from the loop below to the keys.
    args = ["--search-per-minute", "12", "--search-burst", "2"]
    backend = start_backend(demo_db, tmp_path / "server", args)
    try:
        token = login(backend.url)
        with httpx.Client(
            base_url=backend.url + API, headers={"Authorization": f"Bearer {token}"}
        ) as api:
            caller = served_demo_caller(api)
            app = make_app(url=backend.url, token=token)
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(pilot, lambda: app.session.agent is not None)
                await spend_the_search_budget(api)  # now: a slow start would refill it
                await pilot.press("f2", *caller["account_no"], "enter")
                await wait_for(
                    pilot, lambda: "searching again" in static_text(app, "#lookup-status")
                )
                await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
                assert app.screen.caller.id == caller["id"]
    finally:
        backend.stop()
