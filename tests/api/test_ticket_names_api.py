"""The follow-ups and a ticket carry names beside their codes, so the console shows a
caller to call back (name, masked number) and the category and station by name."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.test_loop_api import _iso, new_ticket


def a_caller(api: httpx.Client) -> dict:
    return api.get("/callers", params={"q": "王", "limit": 5}).json()["items"][0]


def test_followups_and_the_ticket_name_caller_category_and_station(api: httpx.Client) -> None:
    caller = a_caller(api)
    ticket = new_ticket(
        api,
        caller_id=caller["id"],
        category="heat.leak.in_flat",
        station_id="HS-XC",
        callback_due=_iso(timedelta(hours=1)),
    )
    followup = next(
        t for t in api.get("/tickets/followups").json()["items"] if t["id"] == ticket["id"]
    )
    one = api.get(f"/tickets/{ticket['id']}").json()
    moved = api.patch(f"/tickets/{ticket['id']}", json={"note": "回访前"}).json()
    for shown in (followup, one, moved):
        assert shown["caller_name"] == caller["name"]
        assert shown["caller_phone_masked"] == caller["phone"]  # masked, as on the card
        assert "*" in shown["caller_phone_masked"]
        assert shown["category_name"] == "户内跑水"
        assert shown["category_name_en"] and shown["category_name_en"] != "heat.leak.in_flat"
        assert shown["station_name"] == "新城供热运营所"
        assert shown["category"] == "heat.leak.in_flat"  # the codes stay for programs


def test_a_ticket_without_caller_or_station_has_empty_names(api: httpx.Client) -> None:
    ticket = new_ticket(api)
    one = api.get(f"/tickets/{ticket['id']}").json()
    assert (one["caller_name"], one["caller_phone_masked"], one["station_name"]) == ("", "", "")
    assert one["category_name"]  # heat.no_heat.partial has a name


def test_the_caller_card_names_its_tickets_and_follow_ups(api: httpx.Client) -> None:
    """The card (on PostgreSQL its reads are one statement on the event loop, the
    names where reads run): its tickets and follow-ups with names, its 30-day count;
    a caller with none has empty lists."""
    caller = a_caller(api)
    before = api.get(f"/callers/{caller['id']}").json()
    ticket = new_ticket(
        api,
        caller_id=caller["id"],
        category="heat.leak.in_flat",
        station_id="HS-XC",
        callback_due=_iso(timedelta(hours=2)),
    )
    card = api.get(f"/callers/{caller['id']}").json()
    assert card["tickets_30d"] == before["tickets_30d"] + 1
    for shown in (card["recent_tickets"][0], *card["open_followups"]):
        if shown["id"] == ticket["id"]:
            assert shown["category_name"] == "户内跑水"
            assert shown["station_name"] == "新城供热运营所"
            assert shown["caller_name"] == caller["name"]
    assert card["recent_tickets"][0]["id"] == ticket["id"]
    assert ticket["id"] in [t["id"] for t in card["open_followups"]]
    unknown = api.get("/callers/999999998")
    assert unknown.status_code == 404
