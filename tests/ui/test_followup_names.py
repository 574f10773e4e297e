"""F7 follow-ups and the ticket they open name the caller to call back (name, masked
number), the category and the station; never the codes the server stores."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import httpx
from textual.widgets import DataTable

from agent_console.screens.followups import FollowUpsScreen
from agent_console.screens.ticket_detail import TicketDetailScreen
from tests.conftest import AppFactory
from tests.ui.helpers import static_text, wait_for

HOSTILE_SUMMARY = "[b]回访[/b] [@click=app.quit]x[/]"


def followup_for_a_caller(api: httpx.Client) -> tuple[dict, dict]:
    caller = api.get("/callers", params={"q": "王", "limit": 5}).json()["items"][0]
    due = (datetime.now(timezone.utc) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {
        "caller_id": caller["id"],
        "category": "heat.leak.in_flat",
        "station_id": "HS-XC",
        "summary": f"{HOSTILE_SUMMARY} {uuid.uuid4().hex[:5]}",
        "callback_due": due,
    }
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    ticket = api.post("/tickets", json=body, headers=headers).json()
    api.patch(f"/tickets/{ticket['id']}", json={"station_id": "HS-HM"})  # a change in history
    return caller, ticket


async def test_followups_and_ticket_show_names_not_codes(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller, ticket = followup_for_a_caller(api)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f7")
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        await wait_for(pilot, lambda: any(i.ticket.id == ticket["id"] for i in screen.items))
        table = screen.query_one("#followups-table", DataTable)
        row = [i.ticket.id for i in screen.items].index(ticket["id"])
        cells = [c.plain for c in table.get_row_at(row)]
        assert f"{caller['name']} {caller['phone']}" in cells  # masked: '*' in it
        assert "*" in caller["phone"]
        assert any(c.startswith(HOSTILE_SUMMARY) for c in cells)  # text, not markup
        table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketDetailScreen))
        await wait_for(pilot, lambda: "Leak inside the flat" in static_text(app, "#detail-body"))
        body = static_text(app, "#detail-body")
        assert f"Caller: {caller['name']} {caller['phone']}" in body
        assert "Huimin Heating Operation Office" in body
        assert body.startswith(HOSTILE_SUMMARY)
        history = static_text(app, "#detail-history")
        words = body + history
        for code in ("heat.leak.in_flat", "HS-XC", "HS-HM"):
            assert code not in words, f"{code} shown: {words}"
        assert "Huimin Heating Operation Office" in history
        app.action_language()  # 中文: the ticket is drawn again, names in Chinese
        await wait_for(pilot, lambda: "户内跑水" in static_text(app, "#detail-body"))
        body = static_text(app, "#detail-body")
        assert "回民供热运营所" in body and "来电人" in body
        app.action_language()
