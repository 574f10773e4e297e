"""The quality loop at the console (issue 16), real server, real App, keys as a person
presses them: a supervisor draws a review sample, scores a review with 0/1/2, comments,
saves and assigns practice from a weak item; the agent sees the review, finds the
scenario first in the practice menu, runs it, and its result shows beside the review.

Each test has a backend of its own over the known March 2026 tickets
(tests/api/quality_data.py): closed tickets T1, T2 (agent 1001) and T4 (1002).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import DataTable, Input, OptionList

from agent_console.app import AgentConsole
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.practice.debrief import DebriefScreen
from agent_console.screens.practice.menu import PracticeMenuScreen
from agent_console.screens.supervisor.review import ReviewScreen
from agent_console.screens.supervisor.review_dialogs import AssignScreen, SampleScreen
from agent_console.screens.supervisor.reviews import ReviewsScreen
from tests.api.quality_data import start_known
from tests.conftest import API, DemoDatabase, console_settings, login
from tests.practice.helpers import FakeClock
from tests.ui.helpers import static_text, table_rows, wait_for

SIZE = (100, 30)
MARCH = {"from": "2026-03-01", "to": "2026-03-07"}


@pytest.fixture
def known(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[tuple[EmbeddedBackend, dict]]:
    backend, ids = start_known(demo_db, tmp_path / "server")
    yield backend, ids
    backend.stop()


def call(url: str, who: str, method: str, path: str, body: Any = None) -> Any:
    r = httpx.request(
        method,
        f"{url}{API}{path}",
        json=body,
        headers={"Authorization": f"Bearer {login(url, who)}"},
    )
    assert r.status_code < 300, r.text
    return r.json()


def console(url: str, who: str, **kwargs: Any) -> AgentConsole:
    client = BackendClient(url, login(url, who))
    return AgentConsole(console_settings(url), client, remember_login=False, **kwargs)


def rows(app: AgentConsole, selector: str) -> list[str]:
    return [" | ".join(r) for r in table_rows(app, selector)]


async def open_reviews(pilot: Any, app: AgentConsole) -> ReviewsScreen:
    await wait_for(pilot, lambda: app.session.agent is not None)
    await pilot.press("ctrl+f7")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, ReviewsScreen)
    return screen


async def test_a_supervisor_draws_scores_and_assigns_practice(
    known: tuple[EmbeddedBackend, dict],
) -> None:
    backend, ids = known
    app = console(backend.url, "9001")
    async with app.run_test(size=SIZE) as pilot:
        await open_reviews(pilot, app)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SampleScreen))
        for field, value in (("n", "1"), ("from", MARCH["from"]), ("to", MARCH["to"])):
            app.screen.query_one(f"#sample-{field}", Input).value = value
        await pilot.press("ctrl+s")
        # One closed ticket per agent in those days: 1001's and 1002's.
        await wait_for(pilot, lambda: len(rows(app, "#reviews-table")) == 2)
        assert "2 open, 0 scored" in static_text(app, "#reviews-summary")
        listed = rows(app, "#reviews-table")
        assert any("1001" in r for r in listed) and any("1002" in r for r in listed)
        mine = next(i for i, r in enumerate(listed) if "1001" in r)
        app.screen.query_one("#reviews-table", DataTable).move_cursor(row=mine)

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.review.ticket_id in {str(ids["T1"]), str(ids["T2"])}
        assert "quality T" in static_text(app, "#review-ticket")  # the ticket's summary
        await pilot.press("ctrl+s")  # nothing scored: refused with a reason
        await wait_for(pilot, lambda: "6 left" in static_text(app, "#review-status"))
        # greeting, identified, category, station, callback_on_time, note_quality
        await pilot.press("2", "2", "1", "2", "0", "2")
        await wait_for(pilot, lambda: "9/12 so far" in static_text(app, "#review-status"))
        await pilot.press("tab", *"Greet by name.", "ctrl+s")
        await wait_for(pilot, lambda: "Saved: 9/12" in static_text(app, "#review-status"))
        stored = call(backend.url, "9001", "GET", f"/reviews/{review.review.id}")
        assert stored["status"] == "scored"
        assert stored["comment"] == "Greet by name."
        assert stored["scores"] == {
            "greeting": 2,
            "identified": 2,
            "category": 1,
            "station": 2,
            "callback_on_time": 0,
            "note_quality": 2,
        }

        # A full item trains nothing; the weak "category" item gets a scenario.
        await pilot.press("shift+tab")
        table = app.screen.query_one("#review-items", DataTable)
        table.move_cursor(row=0)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "weak item" in static_text(app, "#review-status"))
        table.move_cursor(row=2)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, AssignScreen))
        await wait_for(
            pilot, lambda: app.screen.query_one("#assign-list", OptionList).option_count > 0
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_for(pilot, lambda: "not run yet" in rows(app, "#review-items")[2])
        coaching = call(backend.url, "9001", "GET", "/coaching")["items"]
        assert [(c["agent_id"], c["item"]) for c in coaching] == [("1001", "category")]

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen))
        await wait_for(pilot, lambda: "1 open, 1 scored" in static_text(app, "#reviews-summary"))


def scored(url: str, comment: str) -> dict:
    """1001's review drawn and scored, "greeting" weak (by the API)."""
    reviews = call(url, "9001", "POST", "/reviews/sample", {"per_agent": 1, **MARCH, "seed": 1})
    review = next(r for r in reviews["items"] if r["agent_id"] == "1001")
    scores = {"greeting": 0, "identified": 2, "category": 2, "station": 2}
    scores |= {"callback_on_time": 2, "note_quality": 1}
    call(url, "9001", "PUT", f"/reviews/{review['id']}", {"scores": scores, "comment": comment})
    return review


def give_practice(url: str, review: dict) -> dict:
    """A scenario that trains "greeting" assigned from the review; that scenario."""
    scenario = call(url, "9001", "GET", "/scenarios/for-item/greeting")["items"][0]
    body = {"review_id": review["id"], "item": "greeting", "scenario_id": scenario["id"]}
    call(url, "9001", "POST", "/coaching", body)
    return scenario


def assign(url: str, comment: str) -> tuple[dict, dict]:
    review = scored(url, comment)
    return review, give_practice(url, review)


async def test_practice_assigned_meanwhile_shows_on_the_agents_list_at_once(
    known: tuple[EmbeddedBackend, dict],
) -> None:
    """The backend's coaching_assigned event redraws the agent's list: no key, no poll."""
    backend, _ids = known
    review = scored(backend.url, "ok")
    app = console(backend.url, "1001")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.events == "live")
        await open_reviews(pilot, app)
        assert table_rows(app, "#reviews-table")[0][-1] == ""  # no practice yet
        give_practice(backend.url, review)
        await wait_for(pilot, lambda: rows(app, "#reviews-table")[0].endswith("0/1 run"))


async def test_the_agent_sees_the_review_runs_the_practice_and_the_result_shows(
    known: tuple[EmbeddedBackend, dict],
) -> None:
    backend, _ids = known
    comment = "[bold red]greet[/] first"  # the supervisor's words are text, not markup
    _review, scenario = assign(backend.url, comment)

    app = console(backend.url, "1001")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reviews(pilot, app)
        assert "sample" not in static_text(app, "#reviews-summary")  # no key to draw one
        assert not screen.check_action("sample", ())
        assert [r.split(" | ")[-1] for r in rows(app, "#reviews-table")] == ["0/1 run"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert comment in static_text(app, "#review-comment-text")
        greeting = rows(app, "#review-items")[0]
        assert "0/2 ▼" in greeting and "not run yet" in greeting
        await pilot.press("1")  # an agent cannot score
        assert rows(app, "#review-items")[0] == greeting
        assert not app.screen.query("#review-comment")

    # Practice mode: the assigned scenario first; run it and hang up.
    app = console(backend.url, "1001", practice=True)
    app.desk.clock = FakeClock()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeMenuScreen))
        menu = app.screen
        assert isinstance(menu, PracticeMenuScreen)
        await wait_for(pilot, lambda: menu.assigned)
        first = menu.query_one("#menu-list", OptionList).get_option_at_index(0)
        assert first.id == f"a:{scenario['id']}"
        assert "Assigned to you" in str(first.prompt)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.desk.live)
        assert app.desk.view.scenario is not None
        assert app.desk.view.scenario.id == scenario["id"]
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await wait_for(pilot, lambda: "Stored" in static_text(app, "#debrief-stored"))
        await pilot.press("escape")
        await open_reviews(pilot, app)
        await wait_for(pilot, lambda: rows(app, "#reviews-table")[0].endswith("1/1 run"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "score " in rows(app, "#review-items")[0]
    done = call(backend.url, "1001", "GET", "/coaching")["items"]
    assert done[0]["result"] is not None


async def test_review_keys_are_kept_from_roles_that_cannot_use_them(
    known: tuple[EmbeddedBackend, dict],
) -> None:
    """A field station has no reviews: Ctrl+F7 is neither in its key bar nor in help,
    and pressing it opens nothing. An agent's list has no sample key."""
    from agent_console.screens.help import HelpScreen

    backend, _ids = known
    app = console(backend.url, "5003")  # a field station's staff
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await wait_for(pilot, lambda: "F1" in str(app.screen.query_one("KeyBar").render()))
        assert "Ctrl+F7" not in str(app.screen.query_one("KeyBar").render())
        await pilot.press("ctrl+f7")
        await pilot.press("f1")  # a key after it: Ctrl+F7 has been handled by now
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.current_mode != "reviews"
        ids = [r[-1] for r in table_rows(app, "#help-keys")]
        assert "screen.reviews" not in ids

    app = console(backend.url, "1001")
    async with app.run_test(size=(140, 30)) as pilot:
        await open_reviews(pilot, app)
        bar = str(app.screen.query_one("KeyBar").render())
        assert "Ctrl+F7" in bar and "Ctrl+N" not in bar
        await pilot.press("ctrl+n")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        ids = [r[-1] for r in table_rows(app, "#help-keys")]
        assert "screen.reviews" in ids and "reviews.sample" not in ids
