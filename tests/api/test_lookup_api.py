"""Caller search by every kind, the card, new callers; directory; KB; scripts; categories."""

from __future__ import annotations

import uuid

import httpx

from tests.api.test_session_api import error_of


def first(api: httpx.Client, path: str, q: str) -> dict:
    items = api.get(path, params={"q": q}).json()["items"]
    assert items, f"nothing found for {q!r}"
    return items[0]


def demo_caller(api: httpx.Client) -> dict:
    """A demo caller with a mobile number, an account number and a served compound."""
    for q in ("王", "李", "张", "刘"):
        for c in api.get("/callers", params={"q": q, "limit": 50}).json()["items"]:
            if c["account_no"] and c["served"] and c["phone"].startswith("1"):
                return c
    raise AssertionError("no suitable demo caller")


def test_search_by_account_number_is_exact(api: httpx.Client) -> None:
    caller = demo_caller(api)
    hit = first(api, "/callers", caller["account_no"])
    assert hit["id"] == caller["id"]
    assert hit["match"] == "account"


def test_phone_is_masked_in_search_results(api: httpx.Client) -> None:
    caller = demo_caller(api)
    assert "****" in caller["phone"]


def test_search_by_last_four_digits(api: httpx.Client) -> None:
    caller = demo_caller(api)
    last4 = caller["phone"][-4:]
    items = api.get("/callers", params={"q": last4, "limit": 50}).json()["items"]
    hit = next(i for i in items if i["id"] == caller["id"])
    assert hit["match"] == "phone_suffix"


def test_search_by_pinyin_initials_of_a_name(api: httpx.Client) -> None:
    from agent_console.server.textkeys import pinyin_initials

    caller = demo_caller(api)
    initials = pinyin_initials(caller["name"], person=True)
    items = api.get("/callers", params={"q": initials, "limit": 100}).json()["items"]
    assert any(i["id"] == caller["id"] and i["match"] == "initials" for i in items)


def test_search_by_compound_substring(api: httpx.Client) -> None:
    caller = demo_caller(api)
    items = api.get("/callers", params={"q": caller["compound"][:2], "limit": 100}).json()["items"]
    assert any(i["id"] == caller["id"] for i in items)


def test_unserved_compound_is_flagged(api: httpx.Client) -> None:
    compounds = {}
    for q in ("王", "李", "张", "刘", "陈", "杨", "赵", "黄"):
        for c in api.get("/callers", params={"q": q, "limit": 100}).json()["items"]:
            compounds[c["id"]] = c["served"]
    assert False in compounds.values()


def test_caller_card_has_recent_tickets_and_404_for_unknown(api: httpx.Client) -> None:
    caller = demo_caller(api)
    card = api.get(f"/callers/{caller['id']}").json()
    assert card["name"] == caller["name"]
    assert isinstance(card["recent_tickets"], list)
    missing = api.get("/callers/999999999")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"


def test_create_caller_validates_and_is_then_found(api: httpx.Client) -> None:
    bad = api.post("/callers", json={"name": "", "phone": "abc"})
    assert bad.status_code == 422
    assert set(error_of(bad)["fields"]) >= {"name", "phone"}
    r = api.post(
        "/callers",
        json={
            "name": "测试新来电",
            "phone": "13612340987",
            "compound": "如意小区",
            "address": "赛罕区如意小区1号楼",
        },
    )
    assert r.status_code == 201
    new = r.json()
    assert new["phone"] == "136****0987"
    found = first(api, "/callers", "13612340987")
    assert found["id"] == new["id"] and found["match"] == "phone"


def test_directory_by_pinyin_initials(api: httpx.Client) -> None:
    assert first(api, "/directory", "bjdx")["name"] == "北京大学"
    assert first(api, "/directory", "zgyd")["name"].startswith("中国移动")


def test_directory_by_two_chinese_characters(api: httpx.Client) -> None:
    items = api.get("/directory", params={"q": "医院", "limit": 50}).json()["items"]
    assert items and all(
        "医院" in i["name"] or "医院" in i["address"] or "医院" in i["department"] for i in items
    )


def test_kb_search_in_chinese_and_english_with_highlight_offsets(api: httpx.Client) -> None:
    for q in ("排气", "radiator"):
        hit = first(api, "/kb/search", q)
        start, end = hit["highlights"][0]
        assert hit["snippet"][start:end].lower() == q
    article = api.get(f"/kb/articles/{hit['id']}").json()
    assert article["body"]
    assert api.get("/kb/articles/999999").status_code == 404


def test_scripts_have_three_hotlines_in_two_languages(api: httpx.Client) -> None:
    scripts = api.get("/scripts").json()["items"]
    assert {(s["hotline"], s["language"]) for s in scripts} >= {
        (h, lang) for h in ("961655", "10000", "114") for lang in ("zh", "en")
    }
    stages = {s["stage"] for s in scripts}
    assert {"greeting", "verification", "hold", "closing"} <= stages
    only = api.get("/scripts", params={"hotline": "114", "language": "en"}).json()["items"]
    assert only and {(s["hotline"], s["language"]) for s in only} == {("114", "en")}


def test_categories_are_a_tree_with_ids_and_names(api: httpx.Client) -> None:
    roots = api.get("/ticket-categories").json()["items"]
    assert {r["id"] for r in roots} >= {"heat", "tel", "dir"}
    heat = next(r for r in roots if r["id"] == "heat")
    assert heat["children"] and all(c["name"] for c in heat["children"])


def test_sms_to_a_caller_is_recorded_with_what_and_why(api: httpx.Client) -> None:
    caller = demo_caller(api)
    r = api.post(
        "/sms",
        json={
            "caller_id": caller["id"],
            "text": "内蒙古大学招生办 0471-4992114",
            "kind": "directory",
            "ref": "42",
        },
    )
    assert r.status_code == 201
    sms = r.json()
    assert sms["status"] == "sent" and sms["to"] == caller["phone"]  # masked like the card
    listed = api.get("/sms", params={"caller_id": caller["id"]}).json()["items"]
    assert listed[0]["id"] == sms["id"] and listed[0]["kind"] == "directory"
    nobody = api.post("/sms", json={"text": "x"})
    assert nobody.status_code == 422 and "to" in error_of(nobody)["fields"]


def test_caller_card_tickets_carry_category_names(api: httpx.Client) -> None:
    """The card shows what a ticket is about by name, never by code (heat.leak.in_flat)."""
    names = {
        c["id"]: (c["name"], c["name_en"])
        for c in walk(api.get("/ticket-categories").json()["items"])
    }
    category = next(iter(names))
    ticket = {"caller_id": 1, "category": category, "summary": "no heating"}
    r = api.post("/tickets", json=ticket, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    card = api.get("/callers/1").json()
    assert r.json()["id"] in [t["id"] for t in card["recent_tickets"]]
    for t in card["recent_tickets"] + card["open_followups"]:
        assert (t["category_name"], t["category_name_en"]) == names[t["category"]]


def walk(nodes: list[dict]) -> list[dict]:
    return [n for node in nodes for n in (node, *walk(node.get("children") or []))]
