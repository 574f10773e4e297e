"""The floor on the agent's console (issue 16), real backend, real App, Pilot: a
supervisor's message shows on every screen within a second and stays until the agent
marks it read (with its key); a forced not-ready is told naming the supervisor; a forced
sign-out locks the seat saying who and why, and the half-typed ticket is still there
after signing in again."""

from __future__ import annotations

import time

import httpx
from textual.widgets import Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.idle_lock import LockScreen
from agent_console.screens.ticket import TicketScreen
from agent_console.screens.widgets.floor_strip import FloorStrip
from tests.conftest import API, AppFactory, login
from tests.ui.helpers import wait_for
from tests.ui.test_seat_lock import on_screen

SIZE = (80, 24)


def boss_of(url: str) -> httpx.Client:
    token = login(url, "9001")
    return httpx.Client(base_url=url + API, headers={"Authorization": f"Bearer {token}"})


def told(app: object) -> list[str]:
    """The notices (toasts) the console has shown, in full (a toast wraps on screen)."""
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def strip_shows(app: object, text: str) -> bool:
    strips = [s for s in app.screen.query(FloorStrip) if s.display]  # type: ignore[attr-defined]
    return any(text in str(s.render()) for s in strips) and text in on_screen(app)  # type: ignore[arg-type]


async def test_a_floor_message_shows_on_every_screen_until_marked_read(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    url = fresh_server.url
    app = make_app(url=url, token=login(url, "1003"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        with boss_of(url) as boss:
            text = "[b]回电[/b] 王女士 before 5pm"  # markup stays text
            r = boss.post("/agents/1003/messages", json={"text": text})
            assert r.status_code == 201, r.text
            sent_at = time.monotonic()
            # Arrived (a cheap check, polled tightly), then drawn (a screenshot, slow).
            await wait_for(pilot, lambda: app.floor.current and app.floor.current.text == text)
            took = time.monotonic() - sent_at
            print(f"message to the console: {took:.3f} s")  # a figure, not a check (load)
            await wait_for(pilot, lambda: strip_shows(app, text))
            second = boss.post("/agents/1003/messages", json={"text": "second one"}).json()
            await wait_for(pilot, lambda: strip_shows(app, "(+1 more)"))
        # Another screen: the message is there too, and keys still go to that screen.
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        await wait_for(pilot, lambda: strip_shows(app, text))
        await pilot.press(*"heat")
        assert app.screen.query_one("#ticket-summary", Input).value == "heat"
        await pilot.press("ctrl+f8")
        await wait_for(pilot, lambda: strip_shows(app, "second one"))
        assert text not in on_screen(app)
        await pilot.press("ctrl+f8")
        await wait_for(pilot, lambda: not any(s.display for s in app.screen.query(FloorStrip)))
        token = app.client.token
        unread = httpx.get(
            f"{url}{API}/messages/unread", headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
        assert unread == []  # both marked read on the backend
        assert second["id"] > 0


async def test_unread_messages_from_before_the_console_started_show(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    url = fresh_server.url
    with boss_of(url) as boss:
        assert boss.post("/agents/1002/messages", json={"text": "sent earlier"}).is_success
    app = make_app(url=url, token=login(url, "1002"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: strip_shows(app, "sent earlier"))


async def test_forced_state_and_sign_out_are_told_and_the_draft_is_kept(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    url = fresh_server.url
    app = make_app(url=url, token=login(url, "1003"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        with boss_of(url) as boss:
            supervisor = boss.get("/auth/me").json()["name"]
            r = boss.put("/agents/1003/state", json={"state": "not_ready", "reason": "meeting"})
            assert r.status_code == 200, r.text
            await wait_for(pilot, lambda: app.session.seat.state == "not_ready")
            assert app.session.seat.reason == "meeting"
            said = f"Supervisor {supervisor} (9001) set you not ready: meeting."
            await wait_for(pilot, lambda: said in told(app))

            await pilot.press("f5")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
            ticket = app.screen
            await pilot.press(*"暖气不热 forced-out")
            r = boss.post("/agents/1003/sign-out", json={"reason": "shift change"})
            assert r.status_code == 200, r.text
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))
        await wait_for(pilot, lambda: "shift change" in on_screen(app))
        shown = on_screen(app)
        assert "signed you out" in shown and "9001" in shown
        await pilot.press(*"demo", "enter")
        await wait_for(pilot, lambda: app.screen is ticket)
        assert ticket.query_one("#ticket-summary", Input).value == "暖气不热 forced-out"
        await wait_for(pilot, lambda: app.session.events == "live")  # the stream is back
        # The backend had the seat offline: it hears the seat's state again.
        boss_token = login(url, "9001")
        await wait_for(pilot, lambda: state_of(url, boss_token, "1003") == ("not_ready", "meeting"))


def bearer_get(url: str, token: str, path: str) -> httpx.Response:
    return httpx.get(f"{url}{API}{path}", headers={"Authorization": f"Bearer {token}"})


def state_of(url: str, token: str, agent_id: str) -> tuple[str, str]:
    seats = {s["agent_id"]: s for s in bearer_get(url, token, "/agents/states").json()["items"]}
    return seats[agent_id]["state"], seats[agent_id]["reason"]


async def test_the_seat_dialog_acts_on_the_backend_and_explains_refusals(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    from textual.widgets import OptionList, Static

    from agent_console.screens.supervisor.seat_actions import SeatActionsScreen
    from agent_console.screens.supervisor.sign_out_question import SignOutQuestion
    from tests.api.event_tap import EventTap

    url = fresh_server.url
    boss_token, agent_token = login(url, "9001"), login(url, "1003")
    app = make_app(url=url, token=boss_token)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        dialog = SeatActionsScreen(agent_id="1003", agent_no="1003", name="[b]赵六[/b]")
        app.push_screen(dialog)
        await wait_for(pilot, lambda: "[b]赵六[/b] (1003)" in on_screen(app))  # text, not markup

        def result() -> str:
            return str(dialog.query_one("#seat-result", Static).render())

        choices = dialog.query_one("#seat-choices", OptionList)
        meeting = next(i for i in range(choices.option_count)
                       if choices.get_option_at_index(i).id == "not_ready:meeting")  # fmt: skip
        choices.highlighted = meeting
        await pilot.press("enter")
        await wait_for(pilot, lambda: result().startswith("✓"))
        assert state_of(url, boss_token, "1003") == ("not_ready", "meeting")

        # A message too long is explained and kept; a good one goes and the box empties.
        await pilot.press("tab")
        box = dialog.query_one("#seat-message", Input)
        await wait_for(pilot, lambda: dialog.focused is box)
        await pilot.press(*("x" * 201), "enter")
        await wait_for(pilot, lambda: "Too long: 201" in result())
        assert len(box.value) == 201
        box.value = ""
        await pilot.press(*"please call back 1391", "enter")
        await wait_for(pilot, lambda: box.value == "" and result().startswith("✓"))
        unread = bearer_get(url, agent_token, "/messages/unread").json()["items"]
        assert [m["text"] for m in unread] == ["please call back 1391"]

        # On a call: refused, said why, nothing changed.
        on_call = httpx.put(
            f"{url}{API}/agents/me/state",
            json={"state": "on_call"},
            headers={"Authorization": f"Bearer {agent_token}"},
        )
        assert on_call.status_code == 200
        await pilot.press("tab")
        await wait_for(pilot, lambda: dialog.focused is choices)
        choices.highlighted = 0  # Ready
        await pilot.press("enter")
        await wait_for(pilot, lambda: "on a call" in result())
        assert state_of(url, boss_token, "1003")[0] == "on_call"
        httpx.put(
            f"{url}{API}/agents/me/state",
            json={"state": "ready"},
            headers={"Authorization": f"Bearer {agent_token}"},
        )

        # Sign out: asked first, with a reason; "no" changes nothing, "yes" ends the
        # agent's session and their console hears the reason picked (Up/Down) and typed.
        choices.highlighted = choices.option_count - 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SignOutQuestion))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dialog)
        assert bearer_get(url, agent_token, "/auth/me").status_code == 200
        agent_client = httpx.Client(
            base_url=url + API, headers={"Authorization": f"Bearer {agent_token}"}
        )
        with EventTap(agent_client) as agents_console:
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, SignOutQuestion))
            assert "[b]赵六[/b] (1003)" in on_screen(app)
            await pilot.press("down", "down", *" [i]now[/i]", "enter")
            await wait_for(pilot, lambda: result().startswith("✓"))
            said = agents_console.first("signed_out", lambda t, d: t == "signed_out")
        assert said["reason"] == "seat needed for someone else [i]now[/i]"
        assert bearer_get(url, agent_token, "/auth/me").status_code == 401
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not dialog)


async def test_a_supervisor_reassigns_the_open_ticket(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    import uuid

    from textual.widgets import OptionList

    from agent_console.screens.reassign import ReassignScreen
    from agent_console.screens.ticket_detail import TicketDetailScreen

    url = fresh_server.url
    owner = login(url, "1001")
    made = httpx.post(
        f"{url}{API}/tickets",
        json={"category": "heat.no_heat.partial", "summary": "暖气半热"},
        headers={"Authorization": f"Bearer {owner}", "Idempotency-Key": str(uuid.uuid4())},
    )
    ticket_id = made.json()["id"]
    boss_token = login(url, "9001")
    app = make_app(url=url, token=boss_token)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        app.push_screen(TicketDetailScreen(ticket_id))
        await wait_for(pilot, lambda: "暖气半热" in on_screen(app))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReassignScreen))
        picker = app.screen.query_one("#reassign-targets", OptionList)
        await wait_for(pilot, lambda: picker.option_count > 0)
        ids = [picker.get_option_at_index(i).id for i in range(picker.option_count)]
        assert "agent:1002" in ids and "agent:2001" not in ids  # no trainees
        assert any(str(i).startswith("station:") for i in ids)
        picker.highlighted = ids.index("agent:1002")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDetailScreen))
        await wait_for(pilot, lambda: "Reassigned to" in on_screen(app))
        ticket = bearer_get(url, boss_token, f"/tickets/{ticket_id}").json()
        assert ticket["created_by"] == "1002"


async def test_the_reassign_picker_narrows_as_the_supervisor_types(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """A hundred agents: a few digits or letters narrow the list, the cursor stays in
    the box, ↓ moves through what is left, and Enter reassigns to the highlighted one."""
    import uuid

    from textual.widgets import Input, OptionList

    from agent_console.screens.reassign import ReassignScreen
    from agent_console.screens.ticket_detail import TicketDetailScreen

    url = fresh_server.url
    made = httpx.post(
        f"{url}{API}/tickets",
        json={"category": "heat.no_heat.partial", "summary": "暖气半热"},
        headers={"Authorization": f"Bearer {login(url, '1001')}",
                 "Idempotency-Key": str(uuid.uuid4())},
    )  # fmt: skip
    ticket_id = made.json()["id"]
    boss_token = login(url, "9001")
    app = make_app(url=url, token=boss_token)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        app.push_screen(TicketDetailScreen(ticket_id))
        await wait_for(pilot, lambda: "暖气半热" in on_screen(app))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReassignScreen))
        picker = app.screen.query_one("#reassign-targets", OptionList)
        box = app.screen.query_one("#reassign-filter", Input)
        await wait_for(pilot, lambda: picker.option_count > 5)

        def shown() -> list[str]:
            return [str(picker.get_option_at_index(i).id) for i in range(picker.option_count)]

        await pilot.press(*"zzq")
        await wait_for(pilot, lambda: box.value == "zzq" and picker.option_count == 0)
        assert "Nothing matches “zzq”." in on_screen(app)
        await pilot.press("backspace", "backspace", "backspace", *"100")
        await wait_for(pilot, lambda: shown() == ["agent:1001", "agent:1002", "agent:1003"])
        assert app.screen.focused is box and picker.highlighted == 0
        await pilot.press("down", "down", "down")  # stops at the last
        assert picker.highlighted == 2
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDetailScreen))
        ticket = bearer_get(url, boss_token, f"/tickets/{ticket_id}").json()
        assert ticket["created_by"] == "1002"
