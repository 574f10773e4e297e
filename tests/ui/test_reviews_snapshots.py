"""Layout snapshots of the review screens (issue 16) at 80x24 and 140x45, in English and
Chinese: the supervisor's list and one scored review with practice assigned from two
weak items, one run (its score beside it) and one not yet.

The reviews are written into the database before its backend starts, with fixed days,
so nothing on screen depends on when the test runs (see test_layout_snapshots.py for
the frozen clock and `settle`). Update: `pytest tests/ui/test_reviews_snapshots.py
--snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot

from agent_console import i18n
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.supervisor.review import ReviewScreen
from agent_console.screens.supervisor.reviews import ReviewsScreen
from agent_console.server.quality.scenarios import shipped
from agent_console.server.storage import open_storage
from tests.api.quality_data import write_known_facts
from tests.conftest import DemoDatabase, console_settings, login
from tests.ui.helpers import wait_for
from tests.ui.screen_scan import (
    cut_widgets,
    english_words,
    punctuation_problems,
    screen_lines,
    ui_words,
)
from tests.ui.test_layout_snapshots import SIZES, frozen, settle  # noqa: F401 (fixture)

COMMENT = "Greeting missed; the note did not say where the radiator leaks."


def write_reviews(url: str, ids: dict[str, int]) -> None:
    """T1 (1001) scored on 4 March with two practice scenarios, one run; T4 (1002) open."""
    scenario = sorted(shipped())[0]
    storage = open_storage(url)
    try:
        with storage.write() as db:
            scores = {"greeting": 0, "identified": 2, "category": 2, "station": 2}
            scores |= {"callback_on_time": 2, "note_quality": 1}
            review = storage.insert(
                db,
                "INSERT INTO reviews(agent_id, ticket_id, status, scores, comment, sampled_by,"
                " sampled_at, reviewer_id, scored_at) VALUES ('1001',?,'scored',?,?,'9001',"
                " '2026-03-04T09:00:00Z','9001','2026-03-04T10:00:00Z')",
                (ids["T1"], json.dumps(scores), COMMENT),
            )
            db.execute(
                "INSERT INTO reviews(agent_id, ticket_id, sampled_by, sampled_at)"
                " VALUES ('1002',?,'9001','2026-03-04T09:00:00Z')",
                (ids["T4"],),
            )
            result = storage.insert(
                db,
                "INSERT INTO practice_results(trainee_id, scenario_id, score, duration_s,"
                " created_at) VALUES ('1001',?,85,60,'2026-03-05T11:00:00Z')",
                (scenario,),
            )
            for item, result_id in (("greeting", result), ("note_quality", None)):
                db.execute(
                    "INSERT INTO coaching(review_id, agent_id, item, scenario_id,"
                    " scenario_title, assigned_by, assigned_at, result_id)"
                    " VALUES (?,'1001',?,?,?,'9001','2026-03-04T10:05:00Z',?)",
                    (review, item, scenario, shipped()[scenario].title_en, result_id),
                )
    finally:
        storage.close()


@pytest.fixture(scope="module")
def reviewed(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    workdir = tmp_path_factory.mktemp("reviews-snap")
    url = DemoDatabase("sqlite", demo_db_template).copy(workdir)
    write_reviews(url, write_known_facts(url))
    backend = EmbeddedBackend(url, demo_data=False, log_file=workdir / "server.log").start()
    yield backend
    backend.stop()


#: The demo's Latin words in Chinese mode: ticket summaries and a scenario title are data.
DATA_WORDS = {"quality", "greeting", "missed", "the", "note", "did", "not", "say", "where",
              "radiator", "leaks"}  # fmt: skip


#: English UI words (ui_words() switches the language to read them: once, before a run).
UI_WORDS = ui_words()


async def shoot(pilot: Pilot, shots: dict[str, str], problems: list[str], name: str) -> None:
    """The screenshot, and what the sweep checks on every screen: nothing cut without a
    sign, no Chinese punctuation at a line's edge, no English UI word in Chinese."""
    app = pilot.app
    shots[name] = await settle(pilot)
    lines = screen_lines(app)
    problems += [f"{name}: cut: {c}" for c in cut_widgets(app, lines)]
    problems += [f"{name}: {p}" for p in punctuation_problems(lines)]
    if i18n.language() == "zh":
        english = english_words(lines, UI_WORDS, DATA_WORDS)
        problems += [f"{name}: English in Chinese: {sorted(english)}"] if english else []


async def tour(pilot: Pilot, shots: dict[str, str], problems: list[str]) -> None:
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")
    await pilot.press("ctrl+f7")
    screen = app.screen
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, ReviewsScreen)
    await shoot(pilot, shots, problems, "list")
    await pilot.press("down")  # the oldest: T1, scored
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    await shoot(pilot, shots, problems, "review")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_review_screens_layout(
    reviewed: EmbeddedBackend,
    frozen: None,  # noqa: F811
    snapshot: SnapshotAssertion,
    language: str,
    size: str,
) -> None:
    from agent_console.app import AgentConsole

    i18n.set_language(language)
    client = BackendClient(reviewed.url, login(reviewed.url, "9001"))
    app = AgentConsole(console_settings(reviewed.url), client, remember_login=False)
    shots: dict[str, str] = {}
    problems: list[str] = []

    async def auto_pilot(pilot: Pilot) -> None:
        try:
            await tour(pilot, shots, problems)
        finally:
            app.exit()

    app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)
    assert list(shots) == ["list", "review"]
    assert problems == []
    svg = snapshot.use_extension(SVGImageExtension)
    differ = [name for name, shot in shots.items() if svg(name=name) != shot]
    assert differ == [], f"layout changed ({language}, {size}): {differ}"
