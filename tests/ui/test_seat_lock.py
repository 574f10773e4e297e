"""The seat lock as an agent meets it: idle, the card disappears behind the sign-in;
the same agent signs in again and everything typed is still there. And a token the
backend stops accepting mid-ticket: sign in over the ticket, save, saved once.
Real backend processes, real App, Pilot."""

from __future__ import annotations

import dataclasses
import html

import httpx
from textual.app import App
from textual.widgets import Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.config import Settings
from agent_console.screens.caller_card import CallerCardScreen
from agent_console.screens.idle_lock import LockScreen
from agent_console.screens.lookup import LookupScreen
from agent_console.screens.ticket import TicketScreen
from tests.conftest import API, AppFactory, console_settings, login
from tests.practice.helpers import FakeClock
from tests.ui.helpers import static_text, wait_for
from tests.ui.test_lookup_pop import ANNA, ring

SIZE = (100, 30)


def lock_settings(url: str, minutes: float) -> Settings:
    base = console_settings(url)
    return dataclasses.replace(
        base, console=dataclasses.replace(base.console, idle_lock_minutes=minutes)
    )


def on_screen(app: App[object]) -> str:
    """Every character the terminal shows now (the screenshot's text)."""
    svg = app.export_screenshot()
    return html.unescape(svg.replace("&#160;", " "))


def locked_on_screen(app: App[object]) -> bool:
    """The lock screen is up and painted (a screenshot before the paint shows nothing)."""
    return isinstance(app.screen, LockScreen) and "LOCKED" in on_screen(app)


def idle(app: object, clock: FakeClock, seconds: float) -> None:
    """Let `seconds` pass on the seat lock's clock (its timer looks every 0.3 s)."""
    clock.now += seconds


async def test_idle_lock_hides_the_caller_keeps_the_seat_for_its_agent_and_the_typing(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    url = fresh_server.url
    # The timer looks every 0.3 s; the fake clock says when 15 minutes have passed.
    app = make_app(url=url, token=login(url, "1003"), settings=lock_settings(url, minutes=0.005))
    clock = FakeClock()
    app.lock.clock, app.lock.last_key = clock, clock()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await pilot.press("f2", *ANNA["account"], "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
        card = app.screen
        name = card.caller.name
        await wait_for(pilot, lambda: name in on_screen(app))
        first_token = app.client.token

        idle(app, clock, 15 * 60)
        await wait_for(pilot, lambda: locked_on_screen(app))
        shown = on_screen(app)
        assert name not in shown and ANNA["compound"] not in shown
        assert "1003" in shown  # whose seat it is
        lock = app.screen
        assert lock.query_one("#login-agent", Input).value == "1003"

        # A call while locked waits: no caller on screen until the agent is back.
        ring(fresh_server, agent_id="1003", number=ANNA["phone"])
        await wait_for(pilot, lambda: "A call came in" in static_text(app, "#lock-waiting"))
        assert app.screen is lock and name not in on_screen(app)
        assert app.session.call.number != ANNA["phone"]  # not even begun

        # Keys on the lock screen stay there: no hotkey, no typing into the card.
        await pilot.press("f5", "f2", "escape", "ctrl+u")
        assert app.screen is lock
        await pilot.press(*"wrong", "enter")
        await wait_for(pilot, lambda: "wrong" in static_text(app, "#login-error"))
        assert app.screen is lock and app.client.token == first_token

        # Somebody else's number: refused on the lock screen, before any sign-in.
        agent_box = lock.query_one("#login-agent", Input)
        agent_box.value = "1001"
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: "held by agent 1003" in static_text(app, "#login-error"))
        assert app.screen is lock and app.session.agent.id == "1003"

        agent_box.value = "1003"
        await pilot.press(*"demo", "enter")
        # The held call pops once unlocked: the card of the caller on the line.
        await wait_for(pilot, lambda: not isinstance(app.screen, LockScreen))
        await wait_for(
            pilot, lambda: isinstance(app.screen, CallerCardScreen) and app.screen is not card
        )
        await wait_for(pilot, lambda: name in on_screen(app))
        assert app.client.token != first_token
        assert app.session.call.number == ANNA["phone"]

        def first_token_works() -> bool:
            me = f"{url}{API}/auth/me"
            return httpx.get(me, headers={"Authorization": f"Bearer {first_token}"}).is_success

        await wait_for(pilot, lambda: not first_token_works())  # the replaced one is revoked

        # A ticket half typed when the seat locks is still there, cursor and all.
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        ticket = app.screen
        await pilot.press(*"暖气不热 idle-lock")
        due = ticket.query_one("#ticket-due", Input)
        ticket.set_focus(due)  # the agent has moved on to the callback time
        await pilot.press(*"tomorrow")
        idle(app, clock, 15 * 60)
        await wait_for(pilot, lambda: locked_on_screen(app))
        assert "idle-lock" not in on_screen(app)
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: app.screen is ticket)
        assert ticket.query_one("#ticket-summary", Input).value == "暖气不热 idle-lock"
        assert due.value == "tomorrow"
        await wait_for(pilot, lambda: ticket.focused is due)  # the cursor where it was
        await pilot.press(*" 9am")
        assert due.value == "tomorrow 9am"


async def test_a_real_idle_timeout_locks_and_keys_on_the_lock_never_reach_below(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    """The real clock, a 0.3 s timeout: the lock comes without anyone pressing. In the
    high-contrast theme, at the smallest seat terminal."""
    settings = lock_settings(server.url, minutes=0.005)
    settings = dataclasses.replace(
        settings, console=dataclasses.replace(settings.console, theme="high-contrast")
    )
    app = make_app(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: locked_on_screen(app))
        assert app.theme == "high-contrast"
        assert (app.current_theme.background, app.current_theme.foreground) == (
            "#000000",
            "#FFFFFF",
        )
        shown = on_screen(app)
        assert "Enter: sign in" in shown and "1001" in shown  # nothing cut off at 80x24
        lookup = app.get_screen_stack("lookup")[0]
        assert isinstance(lookup, LookupScreen)
        app.lock.timeout = 0  # no second lock while the test types
        await pilot.press(*"1391", "f4", "f1", "ctrl+p", "tab", *"xy")
        assert isinstance(app.screen, LockScreen)
        assert app.current_mode == "lookup"
        assert lookup.query_box().value == ""


async def test_practice_and_the_mentor_screen_lock_the_same_way(
    server: EmbeddedBackend,
) -> None:
    from agent_console.app import AgentConsole
    from agent_console.client import BackendClient
    from agent_console.screens.practice.mentor import MentorScreen

    url = server.url
    trainee = AgentConsole(
        lock_settings(url, minutes=0.005),
        BackendClient(url, login(url, "2003")),
        practice=True,
        remember_login=False,
        practice_start="dir-exact-name",
    )
    clock = FakeClock()
    trainee.lock.clock, trainee.lock.last_key = clock, clock()
    async with trainee.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: trainee.desk.live and trainee.desk.view.lines)
        under = trainee.screen
        line = trainee.desk.view.lines[0].text[:6]  # (the panel may wrap the rest)
        await wait_for(pilot, lambda: line in on_screen(trainee))
        idle(trainee, clock, 15 * 60)
        await wait_for(pilot, lambda: locked_on_screen(trainee))
        shown = on_screen(trainee)
        assert "PRACTICE" in shown and line not in shown  # where, but not who called
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: trainee.screen is under)
        assert trainee.desk.live

    mentor = AgentConsole(
        lock_settings(url, minutes=0.005),
        BackendClient(url, login(url, "3001")),
        remember_login=False,
    )
    clock = FakeClock()
    mentor.lock.clock, mentor.lock.last_key = clock, clock()
    async with mentor.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: mentor.session.agent is not None)
        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(mentor.screen, MentorScreen))
        idle(mentor, clock, 15 * 60)
        await wait_for(pilot, lambda: isinstance(mentor.screen, LockScreen))
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: isinstance(mentor.screen, MentorScreen))
        assert mentor.current_mode == "mentor"


async def test_a_token_revoked_mid_ticket_asks_over_the_ticket_and_saves_once(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    url = server.url
    app = make_app(token=login(url, "1003"))
    summary = "会话过期 relogin-mid-ticket"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen._categories)  # choices loaded
        ticket = app.screen
        await pilot.press(*summary)
        await pilot.press("tab", *"局部", "enter")
        await wait_for(pilot, lambda: ticket.category_id == "heat.no_heat.partial")
        old = app.client.token
        # The backend ends the session (a supervisor's revoke, an expiry): here a
        # sign-out with the same token from elsewhere.
        r = httpx.post(f"{url}{API}/auth/logout", headers={"Authorization": f"Bearer {old}"})
        assert r.status_code == 204
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: locked_on_screen(app))
        assert "session has ended" in on_screen(app)
        assert app.screen.query_one("#login-agent", Input).value == "1003"
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: app.screen is ticket)
        assert ticket.query_one("#ticket-summary", Input).value == summary
        assert ticket.category_id == "heat.no_heat.partial"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
        # The events stream came back with the new token: calls pop again.
        await wait_for(pilot, lambda: app.session.events == "live")
        ring(server, agent_id="1003", number=ANNA["phone"])
        # Keys were just pressed: the call may be announced rather than popped (issue
        # 13); the call key takes it either way.
        await wait_for(pilot, lambda: app.seat.core.phase is not None)
        await pilot.press("ctrl+f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
    new = {"Authorization": f"Bearer {app.client.token}"}
    items = httpx.get(f"{url}{API}/tickets", headers=new).json()["items"]
    assert [t["summary"] for t in items].count(summary) == 1


async def test_a_token_that_expires_mid_ticket_asks_over_the_ticket_and_saves_once(
    make_app: AppFactory, demo_db: object, tmp_path: object
) -> None:
    """The server's own expiry this time: the shift ends while the ticket is typed.

    The session's end is moved into the past in the backend's database once the form
    is ready; a short --token-ttl-hours raced the console's start on a loaded machine
    (the token was gone before the form had loaded)."""
    import sqlite3
    from pathlib import Path

    from tests.conftest import start_backend

    backend = start_backend(demo_db, Path(str(tmp_path)) / "short")
    try:
        url = backend.url
        token = login(url, "1002")
        app = make_app(url=url, token=token)
        summary = "班次到期 expired-mid-ticket"
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.session.agent is not None)
            await pilot.press("f5")
            await wait_for(pilot, lambda: app.screen._categories)
            ticket = app.screen
            await pilot.press(*summary, "tab", *"局部", "enter")
            await wait_for(pilot, lambda: ticket.category_id == "heat.no_heat.partial")
            with sqlite3.connect(backend.db) as db:  # the shift ends
                db.execute(
                    "UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE agent_id = ?",
                    ("1002",),
                )

            def refused() -> bool:  # the server trusts a session it read for up to 10 s
                me = httpx.get(f"{url}{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
                return me.status_code == 401  # (server/session_cache.py): until it lets go

            await wait_for(pilot, refused)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: locked_on_screen(app))
            assert "session has ended" in on_screen(app)
            await pilot.press(*"demo", "enter")
            await wait_for(pilot, lambda: app.screen is ticket)
            assert ticket.query_one("#ticket-summary", Input).value == summary
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
        token = login(url, "1002")  # a fresh shift to look with
        items = httpx.get(
            f"{url}{API}/tickets", headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
        assert [t["summary"] for t in items].count(summary) == 1
    finally:
        backend.stop()
