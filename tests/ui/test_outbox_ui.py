"""The outbox as the agent meets it: the backend goes down, the ticket is kept, the form
is clear for the next call, the status bar counts it, and it arrives once when the
backend is back. Real App, real backend process (stopped and restarted on its port)."""

from __future__ import annotations

import httpx
from textual.widgets import Input

from agent_console.backend_process import EmbeddedBackend
from agent_console.outbox import Outbox, default_path
from agent_console.screens.widgets.status_bar import StatusBar
from tests.conftest import API, AppFactory, login
from tests.ui.helpers import static_text, status_part, wait_for


def crash(backend: EmbeddedBackend) -> None:
    """The backend dies (SIGKILL): no graceful goodbye to the console's connections."""
    assert backend.process is not None
    backend.process.kill()
    backend.process.wait()
    backend.stop()  # closes the listening socket; the port is free for the restart


def outbox_text(app: object) -> str:
    return status_part(app, "outbox")  # type: ignore[arg-type]


async def test_a_ticket_saved_while_the_backend_is_down_is_kept_and_sent_once(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    token = login(fresh_server.url)
    app = make_app(url=fresh_server.url, token=token)
    summary = "停电后暖气不热 outbox-ui"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.choices_loaded)  # categories and stations
        crash(fresh_server)  # the backend goes away mid-shift
        await pilot.press(*summary)
        await pilot.press("tab", *"局部", "enter")  # the category filter: Enter picks the best
        await wait_for(pilot, lambda: app.screen.category_id == "heat.no_heat.partial")
        key = app.screen.idempotency_key
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "1 waiting" in outbox_text(app))
        assert "Kept" in static_text(app, "#ticket-status")
        assert app.screen.query_one("#ticket-summary", Input).value == ""  # ready for the next
        assert app.screen.idempotency_key != key
        [entry] = Outbox(default_path()).entries()
        assert entry.idempotency_key == key and entry.body["summary"] == summary

        fresh_server.start()  # back on the same port
        await wait_for(pilot, lambda: app.session.backend_ok)
        await wait_for(pilot, lambda: status_part(app, "outbox") == "")
        assert app.session.outbox_waiting == 0
        assert Outbox(default_path()).entries() == []
    with httpx.Client(
        base_url=fresh_server.url + API, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        tickets = [t for t in api.get("/tickets").json()["items"] if t["summary"] == summary]
        assert len(tickets) == 1


async def test_a_backend_lost_between_categories_and_stations_leaves_categories_pickable(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """The form's two lists come one request apart. The backend is killed for real
    right after the categories arrive (the hook only picks the moment): the agent can
    still pick one, and the ticket is kept in the outbox."""
    token = login(fresh_server.url)
    app = make_app(url=fresh_server.url, token=token)
    categories = app.client.categories

    async def categories_then_crash() -> list:
        got = await categories()
        crash(fresh_server)
        return got

    app.client.categories = categories_then_crash  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.screen.category_loaded())
        await wait_for(pilot, lambda: "✗" in static_text(app, "#ticket-status"))  # stations
        assert not app.screen.choices_loaded
        await pilot.press(*"两个暖气片不热", "tab", *"局部", "enter")
        await wait_for(pilot, lambda: app.screen.category_id == "heat.no_heat.partial")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "1 waiting" in outbox_text(app))
    [entry] = Outbox(default_path()).entries()
    assert entry.body["category"] == "heat.no_heat.partial"


async def test_kept_tickets_from_a_killed_console_are_counted_and_sent_on_start(
    make_app: AppFactory, fresh_server: EmbeddedBackend
) -> None:
    """What a console SIGKILLed with tickets in its outbox finds when it starts again."""
    token = login(fresh_server.url)
    outbox = Outbox(default_path())
    for n in range(3):
        outbox.enqueue(
            backend=fresh_server.url,
            agent_id="1001",
            method="POST",
            path="/tickets",
            body={"category": "heat.no_heat.partial", "summary": f"left behind {n}"},
            idempotency_key=f"left-behind-{n}",
            label=f"left behind {n}",
        )
    refused = outbox.enqueue(
        backend=fresh_server.url,
        agent_id="1001",
        method="POST",
        path="/tickets",
        body={"category": "heat.nope", "summary": "bad category"},
        idempotency_key="left-behind-bad",
        label="bad category",
    )
    fresh_server.stop()
    app = make_app(url=fresh_server.url, token=token)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "4 waiting" in outbox_text(app))
        fresh_server.start()
        await wait_for(pilot, lambda: "1 refused" in outbox_text(app))
        await wait_for(pilot, lambda: "waiting" not in outbox_text(app))
        assert app.screen.query_one(StatusBar).style_of("outbox") == StatusBar.ALERT
    [left] = outbox.entries()
    assert left.id == refused.id and left.state == "refused" and "category" in left.last_error
    with httpx.Client(
        base_url=fresh_server.url + API, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        summaries = [t["summary"] for t in api.get("/tickets").json()["items"]]
        assert sorted(s for s in summaries if s.startswith("left behind")) == [
            "left behind 0",
            "left behind 1",
            "left behind 2",
        ]
