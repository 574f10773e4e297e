"""Names beside a ticket's codes, so one request gives the console what a person
reads: the caller's name and masked number (a number to call back), the category's
and the station's names (Chinese and English) instead of `heat.leak.in_flat`, `HS-YQ`.
"""

from __future__ import annotations

from typing import Any, cast

Row = dict[str, Any]


def with_names(
    storage: Any, tickets: list[Row], known: dict[int, Row | None] | None = None
) -> list[Row]:
    """The tickets with caller_name, caller_phone_masked, category_name(_en) and
    station_name(_en) added (empty where there is none), and code_names for the codes
    its history holds. One read of each small reference table, one caller read per
    distinct caller not in `known` (callers as get_caller gives them, by id)."""
    if not tickets:
        return tickets
    categories = {r["id"]: r for r in storage.list_categories()}
    stations = {r["code"]: r for r in storage.list_stations()}
    callers: dict[int, Row | None] = dict(known or {})
    named: list[Row] = []
    for t in tickets:
        caller_id = t.get("caller_id")
        if caller_id is not None and caller_id not in callers:
            callers[caller_id] = storage.get_caller(caller_id)  # phone masked already
        caller = callers.get(caller_id) if caller_id is not None else None
        category = categories.get(t.get("category") or "")
        station = stations.get(t.get("station_id") or "")
        named.append(
            {
                **t,
                "caller_name": caller["name"] if caller else "",
                "caller_phone_masked": caller["phone"] if caller else "",
                "category_name": category["name_zh"] if category else "",
                "category_name_en": category["name_en"] if category else "",
                "station_name": station["name_zh"] if station else "",
                "station_name_en": station["name_en"] if station else "",
                "code_names": _history_names(t, categories, stations),
            }
        )
    return named


def _history_names(t: Row, categories: dict[str, Row], stations: dict[str, Row]) -> Row:
    """{code: [Chinese, English]} for every category and station its history names
    (an earlier station, the category it was filed under first)."""
    names: Row = {}
    for event in t.get("history") or ():
        event = cast("Row", event) if isinstance(event, dict) else {}
        change = cast("Row", event.get("change") or {})
        for field, table in (("category", categories), ("station_id", stations)):
            value = change.get(field)
            for code in cast("list[object]", value) if isinstance(value, list) else [value]:
                row = table.get(code) if isinstance(code, str) else None
                if row is not None:
                    names[str(code)] = [row["name_zh"], row["name_en"]]
    return names


def named(storage: Any, ticket: Row) -> Row:
    return with_names(storage, [ticket])[0]
