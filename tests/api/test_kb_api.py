"""Knowledge base and scripts over HTTP: filters, editors (supervisors only) with an index
that follows at once, flags, guided scripts, hotlines."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_session_api import error_of
from tests.conftest import API, login

HOSTILE = "[@click=app.quit]x[/] [b]bold[/b] \x1b[31mred\x07 \u202eevil"


@pytest.fixture(scope="module")
def editor_token(server: EmbeddedBackend) -> str:
    return login(server.url, "9001")


@pytest.fixture
def editor(server: EmbeddedBackend, editor_token: str) -> Iterator[httpx.Client]:
    """A signed-in client for supervisor 9001 (王亚宁), the demo's editor."""
    with httpx.Client(
        base_url=server.url + API, headers={"Authorization": f"Bearer {editor_token}"}
    ) as client:
        yield client


def unique() -> str:
    return uuid.uuid4().hex[:8]


def hits(api: httpx.Client, q: str, **params: str) -> list[dict]:
    r = api.get("/kb/search", params={"q": q, "limit": 50, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_one_and_two_character_chinese_and_an_english_prefix(api: httpx.Client) -> None:
    one, two = hits(api, "漏"), hits(api, "跑水")
    assert one and two
    assert all("漏" in h["title"] + "".join(h["tags"]) + h["snippet"] for h in one[:5])
    assert two[0]["match"] == "title" and "跑水" in two[0]["title"]
    prefix = hits(api, "radia")  # typed so far
    assert prefix[0]["match"] == "title" and "Radiator" in prefix[0]["title"]


def test_title_hits_rank_before_tag_and_body_hits(api: httpx.Client) -> None:
    found = hits(api, "不热")
    order = {"title": 0, "tags": 1, "body": 2}
    ranks = [order[h["match"]] for h in found]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] > 0


def test_filters_by_tag_and_by_hotline(api: httpx.Client) -> None:
    tagged = hits(api, "", tag="宽带")
    assert tagged and all(any("宽带" in t for t in h["tags"]) for h in tagged)
    heating = hits(api, "", hotline="961655")
    assert heating and {h["hotline"] for h in heating} <= {"961655", "all"}
    assert "961655" in {h["hotline"] for h in heating}
    directory = hits(api, "投诉", hotline="114")
    assert directory and {h["hotline"] for h in directory} == {"all"}
    both = hits(api, "故障", tag="宽带", hotline="10000")
    assert both and all(h["hotline"] in ("10000", "all") for h in both)
    # Venting radiators is a heating answer: the broadband hotline's filter drops it.
    assert any(h["hotline"] == "961655" for h in hits(api, "排气"))
    assert all(h["hotline"] in ("10000", "all") for h in hits(api, "排气", hotline="10000"))


def test_agents_may_not_edit_articles(api: httpx.Client) -> None:
    r = api.post("/kb/articles", json={"title": "x", "body": "y"})
    assert r.status_code == 403
    assert error_of(r)["code"] == "role_not_allowed"  # server/access.py
    assert api.patch("/kb/articles/1", json={"title": "x"}).status_code == 403
    assert api.get("/kb/flags").status_code == 403


def test_editor_creates_and_updates_and_search_follows_at_once(
    editor: httpx.Client, api: httpx.Client
) -> None:
    word = f"zq{unique()}"
    r = editor.post(
        "/kb/articles",
        json={
            "title": f"新开营业厅 {word}",
            "language": "zh",
            "hotline": "10000",
            "tags": ["营业厅"],
            "short_answer": "新营业厅在中山路。",
            "body": "## 地址\n中山路 1 号，营业时间 9:00-18:00。",
        },
    )
    assert r.status_code == 201, r.text
    article = r.json()
    assert article["updated_by"] == "王亚宁" and article["slug"].startswith("kb-")
    assert [h["id"] for h in hits(api, word)] == [article["id"]]
    r = editor.patch(f"/kb/articles/{article['id']}", json={"body": "搬到了锡林郭勒南路。"})
    assert r.status_code == 200
    assert hits(api, "锡林郭勒南路")[0]["id"] == article["id"]
    assert all(h["id"] != article["id"] for h in hits(api, "中山路 1 号"))
    r = editor.put(
        f"/kb/articles/{article['id']}",
        json={"title": f"Moved office {word}", "language": "en", "body": "Now on Xilin Road."},
    )
    assert r.status_code == 200 and r.json()["language"] == "en"
    assert hits(api, word, hotline="114")[0]["id"] == article["id"]  # now for all hotlines


def test_article_text_is_cleaned_and_stays_text(editor: httpx.Client, api: httpx.Client) -> None:
    word = f"hostile{unique()}"
    r = editor.post(
        "/kb/articles", json={"title": f"{word} {HOSTILE}", "body": f"{word} {HOSTILE}"}
    )
    assert r.status_code == 201
    hit = hits(api, word)[0]
    assert "\x1b" not in hit["title"] + hit["snippet"] and "\u202e" not in hit["snippet"]
    assert "[@click=app.quit]x[/]" in hit["title"]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == word


def test_editor_input_is_validated(editor: httpx.Client) -> None:
    r = editor.post("/kb/articles", json={"title": "", "body": "x", "language": "fr"})
    assert r.status_code == 422
    assert {"title", "language"} <= set(error_of(r)["fields"])
    slug = f"dup-{unique()}"
    assert editor.post("/kb/articles", json={"slug": slug, "title": "a", "body": "b"}).is_success
    again = editor.post("/kb/articles", json={"slug": slug, "title": "a", "body": "b"})
    assert again.status_code == 409
    assert editor.patch("/kb/articles/999999", json={"title": "x"}).status_code == 404


def test_agent_flags_an_article_and_the_editor_sees_it(
    api: httpx.Client, editor: httpx.Client
) -> None:
    article = hits(api, "排气")[0]
    comment = f"排气阀位置说错了 {unique()}"
    r = api.post(
        f"/kb/articles/{article['id']}/flags", json={"reason": "wrong", "comment": comment}
    )
    assert r.status_code == 201
    flag = r.json()
    assert flag["status"] == "open" and flag["agent_name"] == "李静"
    assert api.get(f"/kb/articles/{article['id']}").json()["open_flags"] >= 1
    listed = editor.get("/kb/flags").json()["items"]
    mine = next(f for f in listed if f["comment"] == comment)
    assert mine["article_title"] == article["title"] and mine["reason"] == "wrong"
    done = editor.patch(f"/kb/flags/{flag['id']}", json={"status": "resolved"}).json()
    assert done["status"] == "resolved" and done["resolved_by"] == "9001"
    still_open = editor.get("/kb/flags").json()["items"]
    assert all(f["id"] != flag["id"] for f in still_open)


def test_a_flag_needs_a_reason_and_a_comment(api: httpx.Client) -> None:
    r = api.post("/kb/articles/1/flags", json={"reason": "boring", "comment": ""})
    assert r.status_code == 422
    assert {"reason", "comment"} <= set(error_of(r)["fields"])
    r = api.post("/kb/articles/999999/flags", json={"reason": "wrong", "comment": "x"})
    assert r.status_code == 404


def test_hotlines_and_guides_for_the_console(api: httpx.Client) -> None:
    hotlines = {h["code"]: h for h in api.get("/hotlines").json()["items"]}
    assert hotlines["961655"]["centre_zh"] == "城发客服"
    guides = api.get("/guides", params={"hotline": "961655"}).json()["items"]
    leak = next(g for g in guides if g["slug"] == "heat-leak-valves")
    assert leak["category"] == "heat.leak.in_flat" and leak["priority"] == "urgent"
    ids = {s["id"] for s in leak["steps"]}
    assert leak["start"] in ids
    assert all(c["next"] in ids for s in leak["steps"] for c in s["choices"])
    assert api.get(f"/guides/{leak['id']}").json()["slug"] == "heat-leak-valves"


def test_editor_changes_a_phrase_and_agents_may_not(
    api: httpx.Client, editor: httpx.Client
) -> None:
    text = f"您好，城发客服{{agent_no}}号，祝您新年快乐 {unique()}"
    body = {"hotline": "961655", "stage": "greeting", "language": "zh", "title": "春节问候"}
    assert api.post("/scripts", json={**body, "body": text}).status_code == 403
    r = editor.post("/scripts", json={**body, "body": text})
    assert r.status_code == 201
    created = r.json()
    assert created["updated_by"] == "王亚宁"
    r = editor.patch(f"/scripts/{created['id']}", json={"time_of_day": "evening"})
    assert r.json()["time_of_day"] == "evening"
    assert editor.patch(f"/scripts/{created['id']}", json={"stage": "chat"}).status_code == 422
    assert editor.delete(f"/scripts/{created['id']}").status_code == 204
    assert all(s["id"] != created["id"] for s in api.get("/scripts").json()["items"])


def test_editor_guides_are_checked_before_they_reach_a_seat(editor: httpx.Client) -> None:
    guide = {
        "slug": f"g-{unique()}",
        "hotline": "961655",
        "title": "测试",
        "category": "heat.leak",
        "start": "a",
        "steps": [
            {"id": "a", "say": "关阀了吗？", "choices": [{"label": "关了", "next": "b"}]},
            {"id": "b", "say": "好的", "summary": "已关阀"},
        ],
    }
    r = editor.post("/guides", json=guide)
    assert r.status_code == 201, r.text
    broken = {**guide, "steps": [{**guide["steps"][0], "choices": [{"label": "x", "next": "z"}]}]}
    r = editor.put(f"/guides/{r.json()['id']}", json=broken)
    assert r.status_code == 422 and "unknown step" in error_of(r)["message"]
    r = editor.post("/guides", json={**guide, "slug": f"g-{unique()}", "category": "nope"})
    assert r.status_code == 422 and "category" in error_of(r)["fields"]


def test_words_in_another_order_still_find_the_article(api: httpx.Client) -> None:
    # The caller says 暖气不热; the article is 整户不热的常见原因与处理 (暖气 in its body).
    found = hits(api, "暖气不热")
    titles = [h["title"] for h in found]
    assert "整户不热的常见原因与处理" in titles[:4]
    hit = found[titles.index("整户不热的常见原因与处理")]
    assert hit["match"] == "words"
    marked = {hit["snippet"][a:b] for a, b in hit["highlights"]}
    assert marked and marked <= {"暖气", "气不", "不热"}
    # A phrase hit still comes before any-order hits.
    kinds = [h["match"] for h in found]
    assert kinds.index("words") > max((i for i, k in enumerate(kinds) if k != "words"), default=-1)
    english = [h["title"] for h in hits(api, "bleeding radiator")]
    assert english[0] == "Radiator half hot, half cold: bleeding an air lock"
