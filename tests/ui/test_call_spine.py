"""The call as the spine of the console (issue 13), driven like an agent against a real
server of the test's own: a call that rings mid-word takes no key and moves no text,
the state chosen during a call survives its wrap-up, a card opened by hand is no call,
the call key goes back to the call's card from anywhere, the next call starts on a
blank ticket, and "call back now" from a follow-up starts an outbound call."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import httpx
from textual.widgets import Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.confirm import ConfirmScreen
from agent_console.screens.followups import FollowUpsScreen
from agent_console.screens.seat import SeatPicker
from agent_console.screens.ticket import TicketScreen
from agent_console.screens.widgets.call_strip import CallStrip
from tests.conftest import API, AppFactory, login
from tests.ui.helpers import burst, static_text, status_part, wait_for

ANNA = {"phone": "18004716690", "account": "4718085468", "name": "Anna Schmidt"}
AGENT = "1003"


def boss(server: EmbeddedBackend) -> httpx.Client:
    token = login(server.url, "9001")
    return httpx.Client(base_url=server.url + API, headers={"Authorization": f"Bearer {token}"})


def ring(server: EmbeddedBackend, **body: object) -> int:
    """A simulated call to the test's agent, placed by a supervisor."""
    with boss(server) as b:
        r = b.post("/calls/simulate", json={"agent_id": AGENT, **body})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def take(pilot: object, app: object) -> None:
    """Answer the call the card popped for. A simulated call without a phone system's
    reference is answered by the pop itself; one with it (a CTI server) rings until
    the call key takes it: the key works either way (on the card it stays)."""
    await pilot.press("ctrl+f2")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.session.seat.state == "on_call")  # type: ignore[arg-type, attr-defined]
    assert isinstance(app.screen, CallerCardScreen)  # type: ignore[attr-defined]


def strip(app: object) -> str:
    line = app.screen.query_one(CallStrip)  # type: ignore[attr-defined]
    return " ".join(line.text_of(part) for part in ("phase", "who", "time", "after", "hint"))


async def test_a_call_ringing_mid_word_takes_no_key_and_moves_no_text(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await pilot.press("f5")
        form = app.screen
        assert isinstance(form, TicketScreen)
        summary = form.query_one("#ticket-summary", Input)
        burst(app, "Radiator cold in th")
        call_id = ring(fresh_server, number=ANNA["phone"])
        burst(app, "e bedroom since Monday")
        await wait_for(pilot, lambda: app.seat.core.ringing and app.seat.core.announced)
        await wait_for(pilot, lambda: summary.value == "Radiator cold in the bedroom since Monday")
        await wait_for(pilot, lambda: ANNA["name"] in strip(app))  # the caller, looked up
        assert app.screen is form and form.focused is summary  # nothing popped over it
        assert "RINGING" in strip(app) and "Ctrl+F2" in strip(app)
        assert ANNA["phone"] not in strip(app) and "180****6690" in strip(app)
        assert app.session.seat.state == "ready"  # ringing is not yet a call
        await pilot.press("ctrl+f2")  # take it
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.account_no == ANNA["account"]
        assert app.seat.core.phase == "on_call" and app.session.seat.state == "on_call"
        assert app.seat.call_key == f"call:{call_id}"
        await wait_for(pilot, lambda: "ON CALL" in strip(app))
        await pilot.press("f5")  # the half-typed summary is where it was typed
        assert app.screen is form
        assert summary.value == "Radiator cold in the bedroom since Monday"


async def test_not_ready_after_this_call_survives_the_wrap_up(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(fresh_server, number=ANNA["phone"])  # idle: the card opens by itself
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await take(pilot, app)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        assert "After this call" in static_text(app, "#seat-title")
        await pilot.press("2")  # not ready: break, after this call
        await wait_for(pilot, lambda: "then: Not ready: break" in strip(app))
        assert app.session.seat.state == "on_call"  # the call goes on
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("1")  # wrap-up code: answered on the call
        await wait_for(pilot, lambda: app.seat.core.phase is None)
        assert (app.session.seat.state, app.session.seat.reason) == ("not_ready", "break")
        assert "Not ready: break" in status_part(app, "state")

        def seen() -> tuple[str, str]:
            with boss(fresh_server) as b:
                rows = {s["agent_id"]: s for s in b.get("/agents/states").json()["items"]}
            return rows[AGENT]["state"], rows[AGENT]["reason"]

        await wait_for(pilot, lambda: seen() == ("not_ready", "break"))


async def test_a_card_opened_by_hand_is_not_a_call(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f2", *ANNA["account"], "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.session.call.caller is not None  # the ticket form will name them
        assert app.session.call.started is None and app.seat.core.phase is None
        assert app.session.seat.state == "ready"
        assert "no call" in strip(app)
        await pilot.press("f10")  # nothing to wrap up
        assert not isinstance(app.screen, SeatPicker)


async def test_the_call_key_goes_back_to_the_calls_card_from_any_screen(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(fresh_server, number=ANNA["phone"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await take(pilot, app)
        await pilot.press("f4", *"收费", "f2")  # off to the knowledge base, then lookup
        await wait_for(pilot, lambda: not isinstance(app.screen, CallerCardScreen))
        await pilot.press("ctrl+f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.account_no == ANNA["account"]
        await pilot.press("f10", "1")  # wrapped up: no call to go back to
        await wait_for(pilot, lambda: app.seat.core.phase is None)
        await pilot.press("f4", "ctrl+f2")
        assert not isinstance(app.screen, CallerCardScreen)


async def test_after_the_wrap_up_the_next_call_starts_on_a_blank_ticket(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(fresh_server, number=ANNA["phone"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await take(pilot, app)
        await pilot.press("f5", *"Anna's radiator")
        form = app.screen
        assert isinstance(form, TicketScreen)
        assert ANNA["name"] in static_text(app, "#ticket-caller")
        await pilot.press("ctrl+n")  # a new blank ticket: no caller either
        assert "none" in static_text(app, "#ticket-caller")
        assert form.query_one("#ticket-summary", Input).value == ""
        await pilot.press(*"Unsaved words", "f10", "1")
        await wait_for(pilot, lambda: app.seat.core.phase is None)
        # Typed for this call and not saved: asked about, never carried to the next.
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Unsaved words" in static_text(app, "#confirm-body")
        await pilot.press("n")  # discard it
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.press("f5")
        assert form.query_one("#ticket-summary", Input).value == ""
        assert "none" in static_text(app, "#ticket-caller")


async def test_a_ticket_not_saved_at_the_wrap_up_is_saved_for_its_caller_on_yes(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    summary = f"wrap-up save {uuid.uuid4().hex[:6]}"
    app = make_app(url=fresh_server.url, token=login(fresh_server.url, AGENT))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(fresh_server, number=ANNA["phone"])
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        await take(pilot, app)
        await pilot.press("f5")
        form = app.screen
        assert isinstance(form, TicketScreen)
        await wait_for(pilot, lambda: form._categories)
        await pilot.press(*summary, "tab", *"局部", "enter")
        await wait_for(pilot, lambda: form.category_id == "heat.no_heat.partial")
        await pilot.press("f10", "1")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert ANNA["name"] in " ".join(
            str(w.render()) for w in app.screen.query(".confirm-line")
        )  # the call's caller, though the call is over
        await pilot.press("y")  # save it now
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    with boss(fresh_server) as b:
        mine = [t for t in b.get("/tickets").json()["items"] if t["summary"] == summary]
    assert len(mine) == 1
    with boss(fresh_server) as b:
        assert b.get(f"/tickets/{mine[0]['id']}").json()["caller_name"] == ANNA["name"]


async def test_call_back_now_from_a_follow_up_starts_an_outbound_call(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    token = login(fresh_server.url, AGENT)
    due = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with httpx.Client(
        base_url=fresh_server.url + API, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        anna = api.get("/callers", params={"q": ANNA["account"]}).json()["items"][0]
        body = {"category": "heat", "summary": "回访", "callback_due": due, "caller_id": anna["id"]}
        t = api.post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).json()
    app = make_app(url=fresh_server.url, token=token)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        await wait_for(pilot, lambda: any(i.ticket.id == t["id"] for i in screen.items))
        row = [i.ticket.id for i in screen.items].index(t["id"])
        screen.query_one("#followups-table").move_cursor(row=row)
        await pilot.press("ctrl+b")  # call back now
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        assert app.screen.caller.id == anna["id"]
        core = app.seat.core
        assert (core.phase, core.call.direction) == ("on_call", "out")
        assert app.session.seat.state == "on_call"
        await wait_for(pilot, lambda: "⇡" in strip(app) and ANNA["name"] in strip(app))
