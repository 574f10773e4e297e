"""Lookup at 114 speed, as an agent uses it: every kind of match named on its hit,
history recall, the directory with notes and SMS, unmasking that the backend audits,
and screen-pop from the real server's event stream (including after it restarts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.directory import DirectoryScreen
from agent_console.screens.lookup import LookupScreen
from agent_console.screens.new_caller import NewCallerScreen
from tests.conftest import API, AppFactory, console_settings, login
from tests.ui.helpers import answers, static_text, table_rows, wait_for

# Demo caller Anna Schmidt (agent_console/server/demo_data/callers.toml).
ANNA = {
    "phone": "18004716690",
    "account": "4718085468",
    "compound": "万达国际公寓",
    "street": "新华东街",
}


async def type_query(pilot: object, app: object, text: str) -> list[list[str]]:
    """Clear the box, type, and return the hits once the screen shows them for it."""
    screen = app.screen  # type: ignore[attr-defined]
    box = screen.query_box()
    box.value = ""
    await pilot.press(*text)  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: screen._shown_seq == screen._seq and box.value == text)  # type: ignore[arg-type]
    return table_rows(app, f"#{screen.PREFIX}-hits")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "label"),
    [
        (ANNA["phone"], "phone"),
        (ANNA["phone"][:7], "number start"),
        (ANNA["phone"][-4:], "last digits"),
        (ANNA["account"], "account"),
        (ANNA["compound"], "compound"),
        (ANNA["street"] + "万达", "address"),
    ],
)
async def test_every_kind_of_match_is_named_on_the_hit(
    make_app: AppFactory, query: str, label: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        rows = await type_query(pilot, app, query)
        anna = [r for r in rows if ANNA["account"] in r]
        assert anna, rows
        assert anna[0][0] == label


async def test_names_and_pinyin_initials(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        by_name = await type_query(pilot, app, "王芳")
        assert by_name and all(r[1] == "王芳" for r in by_name)
        assert {r[0] for r in by_name} == {"name"}
        by_initials = await type_query(pilot, app, "wf")
        assert any(r[1] == "王芳" and r[0] == "initials" for r in by_initials)


async def test_last_queries_come_back_with_ctrl_up(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *ANNA["account"])
        await wait_for(
            pilot, lambda: answers(app, ANNA["account"]) and table_rows(app, "#lookup-hits")
        )
        await pilot.press("f2", *"wf")  # F2 again: the settled query goes to history
        await wait_for(
            pilot, lambda: answers(app, "wf") and table_rows(app, "#lookup-hits")[0][1] == "王芳"
        )
        await pilot.press("f2", *"1391")
        await wait_for(pilot, lambda: app.screen.query_box().value == "1391")
        box = app.screen.query_box()
        await pilot.press("ctrl+up")
        assert box.value == "wf"
        await pilot.press("ctrl+up")
        assert box.value == ANNA["account"]
        await pilot.press("ctrl+down")
        assert box.value == "wf"
        await wait_for(
            pilot, lambda: answers(app, "wf") and table_rows(app, "#lookup-hits")[0][1] == "王芳"
        )


async def test_unmasking_shows_the_number_and_the_backend_audits_it(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *ANNA["account"], "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        card = app.screen
        assert ANNA["phone"] not in static_text(app, "#card-name")
        assert "180****6690" in static_text(app, "#card-name")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: ANNA["phone"] in static_text(app, "#card-name"))
        assert "audit log" in static_text(app, "#card-unmask-note")
        caller_id = card.caller.id
        await pilot.press("ctrl+u")  # again: masked again
        assert ANNA["phone"] not in static_text(app, "#card-name")
    supervisor = login(server.url, "9001")
    entries = httpx.get(
        f"{server.url}{API}/audit",
        params={"action": "unmask", "target": f"caller:{caller_id}"},
        headers={"Authorization": f"Bearer {supervisor}"},
    ).json()["items"]
    assert entries and entries[0]["agent_id"] == "1001"
    # Agents cannot read the audit log.
    assert (
        httpx.get(
            f"{server.url}{API}/audit", headers={"Authorization": f"Bearer {login(server.url)}"}
        ).status_code
        == 403
    )


async def test_directory_number_grouped_to_notes_and_no_sms_without_a_caller(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, DirectoryScreen)
        rows = await type_query(pilot, app, "bjdx")
        assert rows and all(r[1] == "北京大学" for r in rows)
        assert "010-6275 " in rows[0][3]  # grouped to be read aloud
        await pilot.press("ctrl+n")
        assert any("北京大学" in n and "010-6275" in n for n in app.session.call.notes)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "No caller" in static_text(app, "#directory-status"))


async def test_directory_sms_to_the_caller_on_the_line(
    make_app: AppFactory, api: httpx.Client
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        # Signed in first: this test is about the SMS, not keys typed during start-up
        # (tests/ui/test_first_keys.py has those); typed at once it timed out in CI.
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f2", *ANNA["account"], "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        caller_id = app.screen.caller.id
        await pilot.press("f6")
        await type_query(pilot, app, "zgyd")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "SMS" in static_text(app, "#directory-status"))
    sent = api.get("/sms", params={"caller_id": caller_id}).json()["items"]
    assert any("中国移动" in s["body"] for s in sent)


def ring(server: EmbeddedBackend, **body: object) -> dict:
    """Place a simulated call as supervisor 9001, as a telephony system would."""
    token = login(server.url, "9001")
    r = httpx.post(
        f"{server.url}{API}/calls/simulate",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_an_incoming_call_opens_the_card_and_starts_the_timer(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    # Agent 1002: no other test's console listens as them.
    app = make_app(token=login(server.url, "1002"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(server, agent_id="1002", number=ANNA["phone"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.account_no == ANNA["account"]
        assert app.session.call.started is not None
        assert app.session.call.number == ANNA["phone"]


async def test_an_unknown_number_opens_the_new_caller_form(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    app = make_app(token=login(server.url, "1002"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(server, agent_id="1002", number="13812340000")
        # The form is pushed before it is composed: wait for its fields, not the screen.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, NewCallerScreen) and app.screen.query("#new-phone"),
        )
        from textual.widgets import Input

        assert app.screen.query_one("#new-phone", Input).value == "13812340000"


async def test_the_stream_reconnects_after_the_server_restarts(
    make_app: AppFactory, fresh_server: EmbeddedBackend, tmp_path: Path
) -> None:
    settings = console_settings(fresh_server.url)
    settings = dataclasses.replace(
        settings, events=dataclasses.replace(settings.events, reconnect_max=0.5)
    )
    app = make_app(url=fresh_server.url, token=login(fresh_server.url), settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        db, port = fresh_server.db, fresh_server.port
        fresh_server.stop()
        await wait_for(pilot, lambda: app.session.events != "live")
        restarted = EmbeddedBackend(db, demo_data=False, port=port).start()
        try:
            await wait_for(pilot, lambda: app.session.events == "live")
            ring(restarted, agent_id="1001", number=ANNA["phone"])
            await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        finally:
            restarted.stop()
        assert not isinstance(app.screen, LookupScreen)


async def test_first_key_after_a_pause_searches_at_once_and_a_burst_searches_once(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    settings = console_settings(server.url)
    slow = dataclasses.replace(settings.lookup, debounce_ms=60_000)  # the window never closes
    app = make_app(settings=dataclasses.replace(settings, lookup=slow))
    asked: list[str] = []
    find = app.client.find_callers

    async def spy(q: str, limit: int = 20) -> object:
        asked.append(q)
        return await find(q, limit)

    app.client.find_callers = spy  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *ANNA["account"])
        await wait_for(pilot, lambda: asked == [ANNA["account"][0]])  # no 60 s wait
        await pilot.press("enter")  # the burst's last query runs now, once
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert asked == [ANNA["account"][0], ANNA["account"]]


async def test_a_call_while_typing_in_a_dialog_leaves_the_dialog_and_what_was_typed(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    from textual.widgets import Input

    from agent_console.screens.article import ArticleScreen
    from agent_console.screens.flag import FlagScreen

    app = make_app(token=login(server.url, "1002"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await pilot.press("f4", *"收费标准", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FlagScreen))
        dialog = app.screen
        await pilot.press(*"价格表已过期")
        ring(server, agent_id="1002", number=ANNA["phone"])
        # Typing in the dialog: the call is announced, the dialog stays (issue 13)...
        await wait_for(pilot, lambda: app.seat.core.announced)
        assert app.screen is dialog
        await pilot.press("ctrl+f2")  # ... and the call key puts the card on top of it.
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await pilot.press("escape")  # back from the card: the dialog, as it was
        assert app.screen is dialog
        assert dialog.query_one("#flag-comment", Input).value == "价格表已过期"
