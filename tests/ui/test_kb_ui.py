"""Knowledge base (F4) and the article view on the real App and backend: hostile article
text stays text, filters from the keyboard, SMS to the caller, flags for the editors,
and an editor's change found by the very next search."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets._markdown import MarkdownParagraph

from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.article import ArticleScreen
from agent_console.screens.confirm import ConfirmScreen
from agent_console.screens.flag import FlagScreen
from agent_console.screens.kb import KnowledgeScreen
from tests.conftest import API, AppFactory, login
from tests.ui.helpers import answers, static_text, wait_for
from tests.ui.test_lookup_screen import served_demo_caller
from tests.ui.test_scripts_ui import open_caller

HOSTILE = "[@click=app.quit]x[/] [b]bold[/b] \x1b[2J\x07"


@pytest.fixture
def editor(server: EmbeddedBackend) -> Iterator[httpx.Client]:
    token = login(server.url, "9001")
    with httpx.Client(
        base_url=server.url + API, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield client


def hit_prompts(app: object) -> list[Content]:
    options = app.screen.query_one("#kb-hits", OptionList)  # type: ignore[attr-defined]
    # Each prompt is a Wrapped (wrapped where drawn): its lines at a width that wraps nothing.
    return [options.get_option_at_index(i).prompt.content(500) for i in range(options.option_count)]


def hit_texts(app: object) -> list[str]:
    return [str(p) for p in hit_prompts(app)]


async def test_hostile_article_text_is_shown_as_text_and_does_nothing(
    make_app: AppFactory, editor: httpx.Client
) -> None:
    word = f"hostile{uuid.uuid4().hex[:8]}"
    r = editor.post(
        "/kb/articles",
        json={
            "title": f"{word} {HOSTILE}",
            "short_answer": HOSTILE,
            "body": f"# {word}\n\n{word} {HOSTILE} [link](app.quit)\n",
        },
    )
    assert r.status_code == 201
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *word)
        await wait_for(pilot, lambda: answers(app, word) and word in "".join(hit_texts(app)))
        prompt = hit_prompts(app)[0]
        assert "[@click=app.quit]x[/] [b]bold[/b]" in prompt.plain  # literally
        assert "\x1b" not in prompt.plain and "\x07" not in prompt.plain
        styled = [prompt.plain[s.start : s.end] for s in prompt.spans]
        assert word in styled  # the hit is highlighted ...
        assert not any("@click" in str(s.style) for s in prompt.spans)  # ... and nothing acts
        await pilot.click("#kb-hits", offset=(30, 0))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await wait_for(pilot, lambda: app.screen.query(MarkdownParagraph))
        body = " ".join(str(p.render()) for p in app.screen.query(MarkdownParagraph))
        assert "[@click=app.quit]x[/] [b]bold[/b]" in body
        for paragraph in app.screen.query(MarkdownParagraph):
            await pilot.click(paragraph, offset=(len(word) + 3, 0))
            await pilot.click(paragraph, offset=(len(word) + 30, 0))  # the link
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ArticleScreen)


async def test_search_in_chinese_one_and_two_characters_and_in_english(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", "漏")
        await wait_for(pilot, lambda: answers(app, "漏") and "漏" in hit_texts(app)[0])
        await pilot.press("水")
        await wait_for(
            pilot, lambda: answers(app, "漏水") and "漏水" in "".join(hit_texts(app)[:3])
        )
        await pilot.press("escape", *"bleed")
        await wait_for(
            pilot, lambda: answers(app, "bleed") and "bleed" in hit_texts(app)[0].lower()
        )


async def test_tag_and_hotline_filters_from_the_keyboard(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *"宽带")
        await wait_for(pilot, lambda: answers(app, "宽带") and len(hit_texts(app)) >= 3)
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        await wait_for(pilot, lambda: len(screen.hotline_choices()) == 4)
        first_tag = screen.highlighted_hit().tags[0]  # type: ignore[union-attr]
        await pilot.press("ctrl+t")
        assert screen.query_one("#kb-query", Input).value == f"#{first_tag} 宽带"
        await wait_for(pilot, lambda: f"filter: #{first_tag}" in static_text(app, "#kb-status"))
        await pilot.press("ctrl+l")  # the agent's own hotline: 961655 has no broadband
        await wait_for(pilot, lambda: "hotline 961655" in static_text(app, "#kb-status"))
        await wait_for(pilot, lambda: not hit_texts(app))
        assert "no article found" in static_text(app, "#kb-status")
        await pilot.press("ctrl+l")  # the next hotline, 10000 telecom: broadband again
        await wait_for(pilot, lambda: "hotline 10000" in static_text(app, "#kb-status"))
        await wait_for(pilot, lambda: hit_texts(app))


async def test_article_short_answer_goes_by_sms_to_the_caller(
    make_app: AppFactory, api: httpx.Client
) -> None:
    caller = served_demo_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *"排气")
        await wait_for(pilot, lambda: answers(app, "排气") and hit_texts(app))
        await pilot.press("ctrl+s")  # nobody on the line yet
        assert "No caller on the line" in static_text(app, "#kb-status")
        await open_caller(pilot, app, caller["account_no"])
        await pilot.press("f4", *"排气", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        article_id = app.screen.hit.id
        await wait_for(pilot, lambda: "Updated" in static_text(app, "#article-meta"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # the recipient and the text seen: send
        await wait_for(pilot, lambda: "✓ SMS to" in static_text(app, "#article-status"))
        assert caller["phone"] in static_text(app, "#article-status")  # masked, as on the card
        await pilot.press("ctrl+s")  # twice by mistake: not sent again ...
        assert "press again" in static_text(app, "#article-status")
    sent = api.get("/sms", params={"caller_id": caller["id"]}).json()["items"]
    mine = [s for s in sent if s["kind"] == "kb" and s["ref"] == str(article_id)]
    assert len(mine) == 1 and mine[0]["status"] == "sent"
    assert "排气" in mine[0]["body"]


def kb_sms(api: httpx.Client, caller_id: int, article_id: int) -> list[dict]:
    """The SMS the server has logged for this caller and article."""
    sent = api.get("/sms", params={"caller_id": caller_id}).json()["items"]
    return [s for s in sent if s["kind"] == "kb" and s["ref"] == str(article_id)]


def screen_words(app: object) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))  # type: ignore[attr-defined]


def other_served_caller(api: httpx.Client) -> dict:
    """A caller no other SMS test texts (counts stay this test's own)."""
    for c in api.get("/callers", params={"q": "李", "limit": 50}).json()["items"]:
        if c["account_no"] and c["served"] and c["name"]:
            return c
    raise AssertionError("no served demo caller named 李")


@pytest.mark.parametrize("where", ["hits", "article"])
async def test_an_sms_shows_recipient_and_text_and_waits_for_the_confirming_key(
    make_app: AppFactory, api: httpx.Client, where: str
) -> None:
    caller = other_served_caller(api)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_caller(pilot, app, caller["account_no"])
        await pilot.press("f4", *"缴费")
        await wait_for(pilot, lambda: answers(app, "缴费") and hit_texts(app))
        kb = app.screen
        assert isinstance(kb, KnowledgeScreen)
        hit = kb.highlighted_hit()
        assert hit is not None and hit.short_answer
        if where == "article":
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        origin = app.screen
        before = len(kb_sms(api, caller["id"], hit.id))

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = screen_words(app)
        assert caller["name"] in shown and caller["phone"] in shown  # the masked number
        assert hit.short_answer.split()[0] in shown
        assert len(kb_sms(api, caller["id"], hit.id)) == before, "sent before the confirm"
        await pilot.press("escape")  # cancelled: back where it was, nothing sent
        await wait_for(pilot, lambda: app.screen is origin)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is origin)
        assert len(kb_sms(api, caller["id"], hit.id)) == before, "sent though cancelled"

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        status = "#kb-status" if where == "hits" else "#article-status"
        await wait_for(pilot, lambda: "✓ SMS to" in static_text(app, status))
    assert len(kb_sms(api, caller["id"], hit.id)) == before + 1


async def test_flag_an_article_with_a_comment(make_app: AppFactory, editor: httpx.Client) -> None:
    comment = f"收费标准已调整 {uuid.uuid4().hex[:6]}"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *"收费标准", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        article = app.screen
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FlagScreen))
        await pilot.press("enter")  # no comment: refused next to the field, form stays
        assert "Say what is outdated" in static_text(app, "#flag-error")
        await pilot.press(*comment, "enter")  # reason: the first, outdated
        await wait_for(pilot, lambda: app.screen is article)
        await wait_for(pilot, lambda: "Flag sent" in static_text(app, "#article-status"))
        assert "open flag" in static_text(app, "#article-meta")
    flags = editor.get("/kb/flags").json()["items"]
    flag = next(f for f in flags if f["comment"] == comment)
    assert flag["reason"] == "outdated" and flag["agent_id"] == "1001"


async def test_an_editors_change_is_found_by_the_next_search(
    make_app: AppFactory, editor: httpx.Client
) -> None:
    word = f"zz{uuid.uuid4().hex[:6]}"
    created = editor.post("/kb/articles", json={"title": f"春节营业 {word}", "body": "初一休息"})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", *word)
        await wait_for(pilot, lambda: answers(app, word) and "春节营业" in "".join(hit_texts(app)))
        editor.patch(f"/kb/articles/{created.json()['id']}", json={"title": f"元旦营业 {word}"})
        await pilot.press("backspace")
        await wait_for(
            pilot, lambda: answers(app, word[:-1]) and "元旦营业" in "".join(hit_texts(app))
        )
