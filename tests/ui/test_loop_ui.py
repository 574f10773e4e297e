"""Ticket entry, follow-ups and the seat, driven like an agent against the real server."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import httpx
from textual.widgets import Input, Select, TextArea

from agent_console.backend_process import EmbeddedBackend
from agent_console.models import Caller
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.followups import FollowUpsScreen
from agent_console.screens.loop_form import LoopForm
from agent_console.screens.seat import SeatPicker
from agent_console.screens.ticket import TicketScreen
from agent_console.screens.ticket_detail import TicketDetailScreen
from agent_console.screens.widgets.category_picker import CategoryPicker
from tests.conftest import API, AppFactory, login
from tests.ui.helpers import static_text, status_part, wait_for


def caller_with_station(api: httpx.Client) -> dict:
    """A demo caller whose compound has a field station."""
    for c in api.get("/callers", params={"q": "王", "limit": 50}).json()["items"]:
        if c["station"]:
            return c
    raise AssertionError("no demo caller with a station")


async def test_ticket_entry_filters_suggests_parses_and_flags(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = caller_with_station(api)
    for _ in range(2):  # two earlier tickets: a repeat caller
        api.post(
            "/tickets",
            json={"category": "heat", "summary": "earlier", "caller_id": caller["id"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        app.session.call.set_caller(Caller.from_json(api.get(f"/callers/{caller['id']}").json()))
        app.session.call.add_note("读了开场白")
        await pilot.press("f5", *"漏水了", "tab", *"hnps")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        picker = screen.query_one(CategoryPicker)
        await wait_for(pilot, lambda: [e.id for e in picker.matches] == ["heat.leak.in_flat"])
        await pilot.press("enter")
        assert screen.category_id == "heat.leak.in_flat"
        assert screen.query_one("#ticket-priority", Select).value == "urgent"  # the default
        station = screen.query_one("#ticket-station", Select)
        await wait_for(pilot, lambda: station.value == caller["station"])
        assert caller["compound"] in static_text(app, "#ticket-station-hint")
        flags = static_text(app, "#ticket-flags")
        assert "REPEAT CALLER" in flags and "GOVERNMENT" not in flags
        screen.query_one("#ticket-source", Select).value = "12345"
        await wait_for(pilot, lambda: "GOVERNMENT LINE" in static_text(app, "#ticket-flags"))
        assert "读了开场白" in screen.query_one("#ticket-notes", TextArea).text
        # A government ticket needs a callback time: said next to the field, nothing lost.
        await pilot.press("ctrl+s")
        assert "callback time" in static_text(app, "#err-callback_due")
        assert screen.query_one("#ticket-summary", Input).value == "漏水了"
        screen.query_one("#ticket-due", Input).focus()
        await pilot.press(*"soon")
        assert "?" in static_text(app, "#ticket-due-parsed")
        await pilot.press("ctrl+s")
        assert "Not understood" in static_text(app, "#err-callback_due")
        due = screen.query_one("#ticket-due", Input)
        due.value = "2h"
        await pilot.pause()
        assert "(in 2 h" in static_text(app, "#ticket-due-parsed")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    mine = api.get("/tickets", params={"caller_id": caller["id"]}).json()["items"][0]
    assert (mine["summary"], mine["status"], mine["source"]) == ("漏水了", "dispatched", "12345")
    assert mine["station_id"] == caller["station"] and mine["callback_due"]


async def test_draft_survives_a_screen_switch_and_a_restart(
    make_app: AppFactory, api: httpx.Client
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5", *"草稿不丢", "tab", *"跑水", "enter")
        screen = app.screen
        screen.query_one("#ticket-due", Input).value = "明天9点"
        await pilot.press("f2", "f5")  # a screen switch writes the draft at once
        assert screen.query_one("#ticket-summary", Input).value == "草稿不丢"
        key = screen.idempotency_key
    # A new console (after a crash or a restart) reads the draft back.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        assert screen.query_one("#ticket-summary", Input).value == "草稿不丢"
        assert screen.query_one("#ticket-due", Input).value == "明天9点"
        await wait_for(pilot, lambda: screen.category_id == "heat.leak.in_flat")
        assert screen.idempotency_key == key  # saving it can never make a second ticket
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:  # saved: the draft is gone
        await pilot.press("f5")
        assert app.screen.query_one("#ticket-summary", Input).value == ""


async def test_followups_overdue_callback_and_satisfaction_close(
    make_app: AppFactory, api: httpx.Client
) -> None:
    past = (datetime.now(timezone.utc) - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {"category": "heat", "summary": f"回访 {uuid.uuid4().hex[:5]}", "callback_due": past}
    t = api.post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).json()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        await wait_for(pilot, lambda: any(i.ticket.id == t["id"] for i in screen.items))
        row = [i.ticket.id for i in screen.items].index(t["id"])
        assert screen.items[0].overdue  # overdue ones first (earliest due)
        cell = screen.query_one("#followups-table").get_row_at(row)[0].plain
        assert cell.startswith("⚠ OVERDUE") and "overdue 30 min" in cell
        screen.query_one("#followups-table").move_cursor(row=row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDetailScreen))
        detail = app.screen
        await wait_for(pilot, lambda: "OVERDUE" in static_text(app, "#detail-head"))
        # Still "new": a callback now is an illegal move; the server's 409 is shown.
        await pilot.press("ctrl+b", *"已修好", "enter", "y", "enter")
        form = app.screen
        assert isinstance(form, LoopForm)
        await wait_for(pilot, lambda: "cannot go from new" in static_text(app, "#loop-status"))
        assert form.query_one("#loop-result", Input).value == "已修好"  # kept
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)
        for status in ("in_progress", "resolved"):
            api.patch(f"/tickets/{t['id']}", json={"status": status})
        await pilot.press("ctrl+b", *"已修好", "enter", "y", "enter")
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: "called back" in static_text(app, "#detail-head"))
        await pilot.press("ctrl+s", "7", "enter", "enter")  # a bad rating, no comment
        assert "1 (unhappy) to 5" in static_text(app, "#loop-err-satisfaction")
        assert "few words" in static_text(app, "#loop-err-comment")
        app.screen.query_one("#loop-satisfaction", Input).value = "5"
        app.screen.query_one("#loop-comment", Input).value = "很满意"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is detail)
        await wait_for(pilot, lambda: "closed" in static_text(app, "#detail-head"))
        assert "很满意" in static_text(app, "#detail-body")
        await pilot.press("escape")
        await wait_for(pilot, lambda: all(i.ticket.id != t["id"] for i in screen.items))
    done = api.get(f"/tickets/{t['id']}").json()
    assert (done["status"], done["satisfaction"]) == ("closed", 5)
    assert "已修好" in done["notes"]


async def test_seat_state_seen_by_supervisor_and_wrap_up_before_next_call(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    boss = httpx.Client(
        base_url=server.url + API, headers={"Authorization": f"Bearer {login(server.url, '9001')}"}
    )

    def seen() -> tuple[str, str]:
        rows = {s["agent_id"]: s for s in boss.get("/agents/states").json()["items"]}
        return rows["1003"]["state"], rows["1003"]["reason"]

    app = make_app(token=login(server.url, "1003"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("2")  # not ready: break
        await wait_for(pilot, lambda: seen() == ("not_ready", "break"))
        assert "Not ready: break 00:0" in status_part(app, "state")
        await pilot.press("f8", "1")
        await wait_for(pilot, lambda: seen() == ("ready", ""))
        # A call rings, is answered and ends: after-call work, a code is owed.
        boss.post("/calls/simulate", json={"agent_id": "1003", "caller_id": 1})
        # Keys were pressed a moment ago: the call may be announced rather than popped
        # (issue 13); the call key takes it either way.
        await wait_for(pilot, lambda: app.seat.core.phase is not None)
        await pilot.press("ctrl+f2")
        await wait_for(pilot, lambda: app.session.seat.state == "on_call")
        await wait_for(pilot, lambda: seen()[0] == "on_call")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))  # popped up
        first_call = app.session.call.call_id
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("escape")
        assert "After-call work" in status_part(app, "state")
        # The next call waits until the wrap-up code is chosen.
        boss.post("/calls/simulate", json={"agent_id": "1003", "caller_id": 2})
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        assert "A call is waiting" in static_text(app, "#seat-reminder")
        assert app.session.call.call_id == first_call
        await pilot.press("2")  # ticket created / dispatched
        await wait_for(pilot, lambda: app.session.call.call_id not in (None, first_call))
        await pilot.press("ctrl+f2")  # the waiting call rings now: taken with the call key
        await wait_for(pilot, lambda: app.session.seat.state == "on_call")
    boss.close()


async def test_a_state_changed_while_the_backend_is_away_reaches_it_when_back(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, "1002"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        assert fresh_server.process is not None
        fresh_server.process.kill()  # the backend dies mid-shift
        fresh_server.process.wait()
        fresh_server.stop()
        await wait_for(pilot, lambda: app.session.backend_ok is False)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("2")  # not ready: break
        await wait_for(pilot, lambda: app.seat.unsent)
        assert "Not ready: break" in status_part(app, "state")
        fresh_server.start()  # back on the same port
        await wait_for(pilot, lambda: not app.seat.unsent)
    with httpx.Client(
        base_url=fresh_server.url + API,
        headers={"Authorization": f"Bearer {login(fresh_server.url, '9001')}"},
    ) as boss:
        rows = {s["agent_id"]: s for s in boss.get("/agents/states").json()["items"]}
    assert (rows["1002"]["state"], rows["1002"]["reason"]) == ("not_ready", "break")
