"""The loop moving by itself: a field station (the demo's simulated one, on a real server)
takes a dispatched ticket in hand and resolves it, and the agent's follow-ups list and
open ticket show each stage as it happens, without a key pressed to refresh."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.followups import FollowUpsScreen
from agent_console.screens.ticket_detail import TicketDetailScreen
from tests.conftest import API, AppFactory, DemoDatabase, login, start_backend
from tests.ui.helpers import static_text, table_rows, wait_for

STEP = 1.5  # seconds per station step (1.0-2.0 s): each stage stays long enough to see


@pytest.fixture
def station_server(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[EmbeddedBackend]:
    backend = start_backend(demo_db, tmp_path / "server", ["--station-every", str(STEP)])
    yield backend
    backend.stop()


def stage_of(app: object, ticket_id: int) -> str:
    rows = {r[1]: r[2] for r in table_rows(app, "#followups-table")}  # type: ignore[arg-type]
    return rows.get(f"#{ticket_id}", "")


async def test_followups_and_ticket_detail_follow_the_station_live(
    make_app: AppFactory, station_server: EmbeddedBackend
) -> None:
    token = login(station_server.url)
    api = httpx.Client(
        base_url=station_server.url + API, headers={"Authorization": f"Bearer {token}"}
    )

    def ticket(hours: float = 2, **extra: object) -> dict:
        due = (datetime.now(timezone.utc) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"category": "heat.no_heat.partial", "summary": f"半热 {uuid.uuid4().hex[:5]}"}
        r = api.post(
            "/tickets",
            json={**body, "callback_due": due, **extra},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == 201, r.text
        return r.json()

    app = make_app(url=station_server.url, token=token)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        first = ticket(station_id="HS-XC")  # dispatched on save, as F5 does
        second = ticket()  # no station yet
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        await wait_for(pilot, lambda: stage_of(app, second["id"]) == "new")
        table = screen.query_one("#followups-table")
        table.move_cursor(row=[i.ticket.id for i in screen.items].index(second["id"]))
        earlier = ticket(hours=1)  # comes in above the cursor at the next redraw
        # Nothing is pressed from here on: the list follows the station by itself.
        await wait_for(pilot, lambda: stage_of(app, first["id"]) == "in progress", 10)
        await wait_for(pilot, lambda: stage_of(app, first["id"]) == "resolved: call back", 10)
        ids = [i.ticket.id for i in screen.items]
        assert ids.index(earlier["id"]) < ids.index(second["id"])
        # The redraw kept the cursor on the agent's ticket: Enter opens that one.
        assert screen.items[table.cursor_row].ticket.id == second["id"]

        # The ticket open in front of the agent moves too, with the station's note.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDetailScreen))
        await wait_for(pilot, lambda: "· new" in static_text(app, "#detail-head"))
        move = {"status": "dispatched", "station_id": "HS-XC"}
        assert api.patch(f"/tickets/{second['id']}", json=move).status_code == 200
        await wait_for(pilot, lambda: "· in progress" in static_text(app, "#detail-head"))
        # The history names the stages (issue 13: names, never codes).
        assert "5001  Stage: dispatched → in progress" in static_text(app, "#detail-history")
        await wait_for(pilot, lambda: "resolved: call back" in static_text(app, "#detail-head"))
        history = static_text(app, "#detail-history")
        assert "5001  Stage: in progress → resolved" in history
        note = api.get(f"/tickets/{second['id']}").json()["history"][-1]["change"]["note"]
        assert note and note in static_text(app, "#detail-body")
    api.close()
