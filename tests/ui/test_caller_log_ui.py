"""The caller log and callbacks (issue 13), driven like an agent against a real server of
this module's own, with a phone system's CTI token: a call that rings shows "Ringing" in
the status bar; one that ends before anyone takes it appears in the caller log on F7
by itself; calling it back (a known caller, a number nobody knows, a follow-up) records
an outbound callback attempt, opens the card (or the new-caller form) and, at F10,
records whether it reached the caller.

The call rows are read from the server's database (read-only) to wait for the exact
state an assertion needs: the API has no read route for a call, and polling it with
a hang-up would change the call under test."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import DataTable, Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.confirm import ConfirmScreen
from agent_console.screens.followups import FollowUpsScreen
from agent_console.screens.new_caller import NewCallerScreen
from agent_console.screens.seat import SeatPicker
from agent_console.seat import HangUp
from tests.conftest import API, AppFactory, DemoDatabase, login, start_backend
from tests.ui.helpers import static_text, status_part, table_rows, wait_for

TOKEN = "cti-" + uuid.uuid4().hex
AGENT, EXTENSION = "1003", "803"
ANNA = {"phone": "18004716690", "account": "4718085468", "name": "Anna Schmidt"}


@pytest.fixture(scope="module")
def pbx(demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    backend = start_backend(demo_db, tmp_path_factory.mktemp("pbx"), ["--cti-token", TOKEN])
    yield backend
    backend.stop()


def cti(server: EmbeddedBackend, **data: Any) -> None:
    r = httpx.post(f"{server.url}{API}/cti/{TOKEN}", data=data, timeout=15)
    assert (r.status_code, r.json()) == (200, {}), r.text


def new_number() -> str:
    return f"1390{uuid.uuid4().int % 10**7:07d}"


def missed_call(server: EmbeddedBackend, number: str) -> str:
    """A call from `number` that rings at the agent and is hung up before anyone takes
    it; its callId."""
    ref = uuid.uuid4().hex
    cti(server, event="newCall", callId=ref, direction="in", to="114", queue="heating",
        **{"from": number, "user[]": EXTENSION})  # fmt: skip
    cti(server, event="hangup", callId=ref, cause="cancel")
    return ref


def agent_api(server: EmbeddedBackend) -> httpx.Client:
    token = login(server.url, AGENT)
    return httpx.Client(base_url=server.url + API, headers={"Authorization": f"Bearer {token}"})


def missed_id(server: EmbeddedBackend, ref: str) -> int:
    with agent_api(server) as api:
        items = api.get("/calls/missed", params={"limit": 200}).json()["items"]
    return next(int(m["call_id"]) for m in items if m["call_ref"] == ref)


def called_back(server: EmbeddedBackend, call_id: int) -> bool:
    with agent_api(server) as api:
        items = api.get("/calls/missed", params={"limit": 200}).json()["items"]
    return next(bool(m["called_back"]) for m in items if m["call_id"] == call_id)


def call_row(server: EmbeddedBackend, call_id: int) -> dict[str, Any]:
    """The call as the server stored it (read-only: nothing changes under the test)."""
    with closing(sqlite3.connect(f"file:{Path(str(server.db))}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM calls WHERE id = ?", (call_id,)).fetchone()
    return dict(row) if row else {}


async def open_caller_log(pilot: Any, app: Any) -> FollowUpsScreen:
    """F7, the caller log loaded, the cursor in it (Tab from the follow-ups)."""
    await pilot.press("f7")
    screen = app.screen
    assert isinstance(screen, FollowUpsScreen)
    await wait_for(pilot, lambda: static_text(app, "#missed-summary") != "")
    await pilot.press("tab")
    assert screen.focused is screen.query_one("#missed-table", DataTable)
    return screen


async def pick(pilot: Any, screen: FollowUpsScreen, call_id: int) -> None:
    await wait_for(pilot, lambda: call_id in [c.call_id for c in screen.missed])
    row = [c.call_id for c in screen.missed].index(call_id)
    screen.query_one("#missed-table", DataTable).move_cursor(row=row)


async def end_the_callback(pilot: Any, app: Any, reached: bool) -> None:
    """F10 on a callback: "reached?" comes first, over the wrap-up code."""
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    assert "reach the caller" in static_text(app, "#confirm-title")
    await pilot.press("y" if reached else "n")
    await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
    await pilot.press("1")
    await wait_for(pilot, lambda: app.seat.core.phase is None)


async def test_a_call_rings_in_the_status_bar_and_unanswered_shows_in_the_caller_log(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    number = new_number()
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ref = uuid.uuid4().hex
        cti(pbx, event="newCall", callId=ref, direction="in", to="114", queue="heating",
            **{"from": number, "user[]": EXTENSION})  # fmt: skip
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))  # the pop
        await wait_for(pilot, lambda: "Ringing" in status_part(app, "state"))
        assert status_part(app, "state").startswith("☎ Ringing 00:")
        assert app.session.seat.state == "ready"  # the backend is not told "ringing"
        call_id = app.seat.core.call.call_id
        screen = await open_caller_log(pilot, app)
        assert "☎ Ringing" in status_part(app, "state")  # on every screen
        assert call_id not in [c.call_id for c in screen.missed]  # ringing is not missed
        cti(pbx, event="hangup", callId=ref, cause="cancel")  # nobody took it
        await wait_for(pilot, lambda: call_id in [c.call_id for c in screen.missed])
        assert app.screen is screen  # it came by itself (the call_ended event), no reload
        assert status_part(app, "state").startswith("● Ready")
        masked = number[:3] + "****" + number[-4:]
        row = table_rows(app, "#missed-table")[[c.call_id for c in screen.missed].index(call_id)]
        assert row[1:] == ["unknown caller", masked, "heating", "not called back"]
        assert number not in " ".join(row)
        assert "Ctrl+B" in static_text(app, "#missed-summary")


async def test_calling_back_a_missed_call_records_it_and_opens_the_card(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    missed = missed_id(pbx, missed_call(pbx, ANNA["phone"]))
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        screen = await open_caller_log(pilot, app)
        await pick(pilot, screen, missed)
        row = table_rows(app, "#missed-table")[screen.query_one("#missed-table").cursor_row]
        assert row[1:3] == [ANNA["name"], "180****6690"]
        await pilot.press("ctrl+b")  # call back
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.account_no == ANNA["account"]
        core = app.seat.core
        assert (core.phase, core.call.direction, app.session.seat.state) == (
            "on_call",
            "out",
            "on_call",
        )
        out = core.call.call_id
        assert out is not None and out != missed
        record = call_row(pbx, out)
        assert (record["direction"], record["reason"], record["agent_id"]) == (
            "out",
            "callback",
            AGENT,
        )
        assert (record["number"], record["state"], record["reached"]) == (
            ANNA["phone"],
            "answered",
            None,
        )
        assert called_back(pbx, missed)
        await end_the_callback(pilot, app, reached=False)
        await wait_for(pilot, lambda: call_row(pbx, out)["reached"] is not None)
        record = call_row(pbx, out)
        assert (record["reached"], record["state"], record["cause"]) == (0, "ended", "noAnswer")
        await pilot.press("f7")  # back on the log: called back
        await wait_for(
            pilot, lambda: any(c.call_id == missed and c.called_back for c in screen.missed)
        )


async def test_calling_back_a_number_nobody_knows_opens_the_new_caller_form(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    number = new_number()
    missed = missed_id(pbx, missed_call(pbx, number))
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        screen = await open_caller_log(pilot, app)
        await pick(pilot, screen, missed)
        await pilot.press("enter")  # Enter on a missed call calls back too
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))
        assert app.screen.query_one("#new-phone", Input).value == number
        out = app.seat.core.call.call_id
        assert out is not None
        record = call_row(pbx, out)
        assert (record["number"], record["caller_id"], record["reason"]) == (
            number,
            None,
            "callback",
        )
        await end_the_callback(pilot, app, reached=True)
        await wait_for(pilot, lambda: call_row(pbx, out)["state"] == "ended")
        record = call_row(pbx, out)
        assert (record["reached"], record["cause"]) == (1, "normalClearing")


async def test_call_back_now_from_a_follow_up_is_a_callback_attempt(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    due = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with agent_api(pbx) as api:
        anna = api.get("/callers", params={"q": ANNA["account"]}).json()["items"][0]
        body = {"category": "heat", "summary": "回访", "callback_due": due, "caller_id": anna["id"]}
        key = {"Idempotency-Key": str(uuid.uuid4())}
        ticket = api.post("/tickets", json=body, headers=key).json()
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        await wait_for(pilot, lambda: any(i.ticket.id == ticket["id"] for i in screen.items))
        row = [i.ticket.id for i in screen.items].index(ticket["id"])
        screen.query_one("#followups-table", DataTable).move_cursor(row=row)
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        out = app.seat.core.call.call_id
        assert out is not None
        record = call_row(pbx, out)
        assert (record["reason"], record["ticket_id"], record["caller_id"]) == (
            "callback",
            ticket["id"],
            anna["id"],
        )
        await end_the_callback(pilot, app, reached=True)
        await wait_for(pilot, lambda: call_row(pbx, out)["state"] == "ended")
        assert call_row(pbx, out)["reached"] == 1


async def test_back_on_the_caller_log_the_cursor_is_on_the_newest_missed_call(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    older = missed_id(pbx, missed_call(pbx, new_number()))
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        screen = await open_caller_log(pilot, app)
        await wait_for(pilot, lambda: screen.missed and screen.missed[0].call_id == older)
        await pilot.press("f2")  # elsewhere while another call is missed
        await wait_for(pilot, lambda: app.screen is not screen)
        number = new_number()
        newer = missed_id(pbx, missed_call(pbx, number))
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.screen is screen and screen.missed[0].call_id == newer)
        table = screen.query_one("#missed-table", DataTable)
        assert table.cursor_row == 0  # on the call just missed, not on the one before
        await pilot.press("tab", "enter")  # Enter calls back the call under the cursor
        await wait_for(pilot, lambda: app.seat.core.call.direction == "out")
        assert app.seat.core.call.number == number
        await end_the_callback(pilot, app, reached=True)


async def test_a_console_started_mid_call_takes_the_call_up_and_f10_ends_it(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    """The console was closed during a call (or the PBX lost the hangup): at the next
    start the seat is on that call again, and F10 ends it at the backend."""
    ref = uuid.uuid4().hex
    cti(pbx, event="newCall", callId=ref, direction="in", to="114",
        **{"from": ANNA["phone"], "user[]": EXTENSION})  # fmt: skip
    cti(pbx, event="answer", callId=ref, answeringNumber=EXTENSION)
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.seat.core.phase == "on_call")
        call_id = app.seat.core.call.call_id
        assert call_id is not None and call_row(pbx, call_id)["call_ref"] == ref
        await wait_for(pilot, lambda: "On a call" in status_part(app, "state"))
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("1")
        await wait_for(pilot, lambda: app.seat.core.phase is None)
        await wait_for(pilot, lambda: call_row(pbx, call_id)["state"] == "ended")


async def test_a_screen_key_does_not_lose_the_callback_result(
    make_app: AppFactory, pbx: EmbeddedBackend
) -> None:
    """F-keys while "reached?" is up: it stays until answered (a screen key popped it
    with no answer: no result on record, and a reached call never hung up there)."""
    missed = missed_id(pbx, missed_call(pbx, new_number()))
    app = make_app(url=pbx.url, token=login(pbx.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        screen = await open_caller_log(pilot, app)
        await pick(pilot, screen, missed)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NewCallerScreen))
        out = app.seat.core.call.call_id
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen
        await pilot.press("f2", "f4", "f7")
        await pilot.pause()
        assert app.screen is question  # still asking, nothing popped
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("1")
        await wait_for(pilot, lambda: call_row(pbx, out)["state"] == "ended")
        assert call_row(pbx, out)["reached"] == 1


async def test_a_callback_ended_while_the_backend_is_away_reaches_the_record_when_it_is_back(
    make_app: AppFactory, demo_db: DemoDatabase, tmp_path: Path
) -> None:
    """F10 on a callback with the backend down: "reached", the hang-up and the wrap-up
    are kept in order and sent when the backend is back. Before, the result was lost
    ("not on record") and the hang-up with it (the call ended at the wrap-up, with no
    cause). A backend of the test's own: it is killed and restarted."""
    backend = start_backend(demo_db, tmp_path / "pbx", ["--cti-token", TOKEN])
    try:
        missed = missed_id(backend, missed_call(backend, ANNA["phone"]))
        app = make_app(url=backend.url, token=login(backend.url, AGENT))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: app.session.agent is not None)
            screen = await open_caller_log(pilot, app)
            await pick(pilot, screen, missed)
            await pilot.press("ctrl+b")  # call back
            await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
            out = app.seat.core.call.call_id
            assert out is not None
            assert backend.process is not None
            backend.process.kill()  # the backend dies during the callback
            backend.process.wait()
            backend.stop()
            await wait_for(pilot, lambda: app.session.backend_ok is False)
            await end_the_callback(pilot, app, reached=True)
            await wait_for(pilot, lambda: any(isinstance(r, HangUp) for r in app.seat.unsent))
            assert call_row(backend, out)["reached"] is None  # nothing reached it yet
            backend.start()  # back on the same port
            await wait_for(pilot, lambda: not app.seat.unsent)
        record = call_row(backend, out)
        assert (record["reached"], record["state"], record["cause"]) == (
            1,
            "ended",
            "normalClearing",
        )
        assert record["wrap_up"]
    finally:
        backend.stop()
