"""The sweep of the supervisor's screens (issue 17 over issue 16's screens): the
wallboard (agents in every state, the raised hands, the overdue callbacks), a seat's
actions and the sign-out question, the reassign picker (whole and filtered), the
reviews list, a review, its sample and practice dialogs; the floor message strip on
an agent's screen and the agent's own reviews; the wall board and its sign-in (and
its refusal of an agent). At 80x24 and 140x45, in English and Chinese, against a
real backend; each screen scanned (tests/ui/screen_scan.py) for text cut without a
sign, Chinese lines starting with closing punctuation and English UI words in
Chinese, and compared with its SVG snapshot where it is not bound to the clock and
not already a snapshot of test_wallboard_snapshots.py or test_reviews_snapshots.py.

One walk per size and language (cached for the module): the supervisor's console, the
agent's console and the wall board, one after the other. Update the SVGs after an
intended change: `pytest tests/ui/test_supervisor_sweep.py --snapshot-update`, then
look at them. To read the screens as text: SWEEP_DUMP=/some/dir.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.app import App
from textual.pilot import Pilot

from agent_console import i18n, scripting
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.supervisor.board_pane import BoardPane
from agent_console.screens.widgets.status_bar import StatusBar
from tests.api.quality_data import write_known_facts
from tests.conftest import API, DemoDatabase, console_settings, login
from tests.ui.helpers import FrozenClock, wait_for
from tests.ui.screen_scan import (
    Shot,
    Walks,
    cut_widgets,
    english_words,
    screen_lines,
    ui_words,
    walk_once,
    whole_text,
)
from tests.ui.test_layout_snapshots import settle
from tests.ui.test_reviews_snapshots import write_reviews
from tests.ui.test_wallboard_snapshots import NOW, centre

SIZES = {"80x24": (80, 24), "140x45": (140, 45)}
SCREENS = [
    "board", "hands", "overdue", "seat-actions", "sign-out-question", "reassign",
    "reassign-filtered", "reviews", "sample", "review", "assign", "floor-strip",
    "agent-reviews", "agent-review",
    "wall-signin", "wall-refused", "wall",
]  # fmt: skip
#: Snapshots kept by test_wallboard_snapshots.py and test_reviews_snapshots.py already.
SNAPPED_ELSEWHERE = {"board", "hands", "reviews", "review"}
#: Screens that show a time relative to the real clock or today's date: scanned only.
#: The reassign picker lies over a follow-up whose callback is "in 2 h 59 min"; the
#: sample dialog's days are the last seven before today.
CLOCK_BOUND = {"reassign", "reassign-filtered", "sample"}
#: The screens that keep the key bar of a screen of their own (the wallboard's keys).
KEY_BAR = {"board": ["Ctrl+F11", "Ctrl+F7", "Enter"]}

#: Data in Chinese mode, not UI: the fixed board's one Latin name, the demo tickets'
#: English words, and the reviews' English comment.
DATA_WORDS = {"chen", "jing", "quality", "greeting", "missed", "the", "note", "did", "not",
              "say", "where", "radiator", "leaks", "wallboard"}  # fmt: skip
#: The longest message the backend takes (200 characters), markup-like text in it: at
#: 80 columns it must wrap whole in the strip, as text.
MESSAGE = (
    "[b]请[/b]马上回电话给城东站的王师傅：小区北门暖气管漏水，住户在等，记得在工单里写清楚门牌号和联系人。"
    * 4
)[:200]
_WALKS: Walks = {}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StatusBar, "clock", FrozenClock("10:30:00"))
    monkeypatch.setattr(scripting, "current_hour", lambda: 10)
    monkeypatch.setattr(BoardPane, "clock", staticmethod(lambda: NOW))
    monkeypatch.setattr("agent_console.screens.supervisor.board_lists.utc_now", lambda: NOW)
    # The wall pages on every 10 s: under load the walk takes longer than that.
    monkeypatch.setattr("agent_console.screens.supervisor.wall.PAGE_SECONDS", 3600.0)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()


async def _shot(pilot: Pilot, shots: dict[str, Shot], name: str) -> None:
    app = pilot.app
    svg = await settle(pilot)
    lines = screen_lines(app)
    shots[name] = Shot(lines, cut_widgets(app, lines), svg)


def _is(app: App[object], name: str) -> bool:
    return type(app.screen).__name__ == name


async def _live(pilot: Pilot) -> None:
    session = pilot.app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")


async def supervisor_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """The supervisor's screens and dialogs, by the keys a supervisor uses."""
    app = pilot.app
    await _live(pilot)
    await pilot.press("ctrl+f11")
    await wait_for(pilot, lambda: app.current_mode == "wallboard")
    pane = app.screen.query_one(BoardPane)
    await wait_for(pilot, lambda: pane.board.loaded)
    app.event_stream.listeners.pop("board", None)  # type: ignore[attr-defined]
    pane.show_document(centre())
    await _shot(pilot, shots, "board")
    await pilot.press("ctrl+d")
    await wait_for(pilot, lambda: _is(app, "HandsList"))
    await _shot(pilot, shots, "hands")
    await pilot.press("escape")
    await pilot.press("ctrl+b")
    await wait_for(pilot, lambda: _is(app, "OverdueList"))
    await _shot(pilot, shots, "overdue")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "WallboardScreen"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "SeatActionsScreen"))
    await _shot(pilot, shots, "seat-actions")
    await pilot.press("end", "enter")  # the last action: sign the seat out
    await wait_for(pilot, lambda: _is(app, "SignOutQuestion"))
    await _shot(pilot, shots, "sign-out-question")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "SeatActionsScreen"))
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "WallboardScreen"))

    await pilot.press("f7")
    await wait_for(pilot, lambda: app.current_mode == "followups")
    await wait_for(pilot, lambda: app.screen.query_one("#followups-table").row_count)
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "TicketDetailScreen"))
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: _is(app, "ReassignScreen") and app.screen.labels)
    await _shot(pilot, shots, "reassign")
    await pilot.press(*"100")
    await wait_for(pilot, lambda: app.screen.query_one("#reassign-filter").value == "100")
    await _shot(pilot, shots, "reassign-filtered")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "TicketDetailScreen"))
    await pilot.press("escape")

    await pilot.press("ctrl+f7")
    await wait_for(pilot, lambda: _is(app, "ReviewsScreen") and app.screen.loaded)
    await _shot(pilot, shots, "reviews")
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: _is(app, "SampleScreen"))
    await _shot(pilot, shots, "sample")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "ReviewsScreen"))
    await pilot.press("down", "enter")  # the oldest: T1, scored, its greeting weak
    await wait_for(pilot, lambda: _is(app, "ReviewScreen"))
    await _shot(pilot, shots, "review")
    await pilot.press("ctrl+t")
    await wait_for(pilot, lambda: _is(app, "AssignScreen") and app.screen.scenarios)
    await _shot(pilot, shots, "assign")
    await pilot.press("escape")


async def agent_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """An agent with a supervisor's message waiting: the strip over the lookup."""
    app = pilot.app
    await _live(pilot)
    strip = app.screen.query_one("FloorStrip")
    await wait_for(pilot, lambda: strip.has_class("-shown"))
    await _shot(pilot, shots, "floor-strip")
    await pilot.press("ctrl+f8")  # read: the next walk finds the strip as this one did
    await wait_for(pilot, lambda: not strip.has_class("-shown"))
    # The agent's side of the quality loop: their own reviews, one with its coaching.
    await pilot.press("ctrl+f7")
    await wait_for(pilot, lambda: _is(app, "ReviewsScreen") and app.screen.loaded)
    await _shot(pilot, shots, "agent-reviews")
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "ReviewScreen"))
    await _shot(pilot, shots, "agent-review")


async def wall_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """The wall's sign-in, an agent refused there, then the wall account's board."""
    app = pilot.app
    await wait_for(pilot, lambda: _is(app, "WallSignIn"))
    await _shot(pilot, shots, "wall-signin")
    await pilot.press(*"1001", "enter", *"demo", "enter")
    error = "#wall-login-error"
    await wait_for(pilot, lambda: "✗" in str(app.screen.query_one(error).render()))
    await _shot(pilot, shots, "wall-refused")
    agent = app.screen.query_one("#wall-agent")
    agent.value = ""
    app.screen.set_focus(agent)
    await pilot.press(*"9900", "enter", *"demo", "enter")
    await wait_for(pilot, lambda: _is(app, "WallScreen"))
    pane = app.screen.query_one(BoardPane)
    await wait_for(pilot, lambda: pane.board.loaded)
    app.stream.listeners.pop("board", None)  # type: ignore[attr-defined]
    pane.show_document(centre())
    await _shot(pilot, shots, "wall")


def _run(app: App[object], tour: object, size: str, shots: dict[str, Shot]) -> None:
    async def auto_pilot(pilot: Pilot) -> None:
        try:
            await tour(pilot, shots)  # type: ignore[operator]
        finally:
            app.exit()

    app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)


def walk(url: str, size: str, language: str) -> dict[str, Shot]:
    from agent_console.app import AgentConsole
    from agent_console.screens.supervisor.wall import WallApp

    monkeypatch = pytest.MonkeyPatch()
    try:
        _freeze(monkeypatch)
        i18n.set_language(language)
        shots: dict[str, Shot] = {}
        boss = login(url, "9001")
        app = AgentConsole(console_settings(url), BackendClient(url, boss), remember_login=False)
        _run(app, supervisor_tour, size, shots)

        r = httpx.post(f"{url}{API}/agents/1001/messages", json={"text": MESSAGE},
                       headers={"Authorization": f"Bearer {boss}"})  # fmt: skip
        assert r.status_code in (200, 201), r.text
        agent = BackendClient(url, login(url, "1001"))
        app = AgentConsole(console_settings(url), agent, remember_login=False)
        _run(app, agent_tour, size, shots)

        _run(WallApp(console_settings(url), BackendClient(url)), wall_tour, size, shots)
        return shots
    finally:
        i18n.set_language("en")
        monkeypatch.undo()
        time.tzset()


@pytest.fixture(scope="module")
def floor(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """A copy of the demo with the reviews of test_reviews_snapshots.py and a follow-up
    of the supervisor's own to reassign."""
    workdir = tmp_path_factory.mktemp("super-sweep")
    url = DemoDatabase("sqlite", demo_db_template).copy(workdir)
    write_reviews(url, write_known_facts(url))
    backend = EmbeddedBackend(url, demo_data=False, log_file=workdir / "server.log").start()
    due = datetime.now(UTC) + timedelta(hours=3)
    r = httpx.post(
        f"{backend.url}{API}/tickets",
        json={"category": "heat", "summary": "暖气不热，约好回访", "callback_due": iso(due)},
        headers={"Authorization": f"Bearer {login(backend.url, '9001')}",
                 "Idempotency-Key": "super-sweep-1"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    yield backend
    backend.stop()


@pytest.fixture
def shots(floor: EmbeddedBackend, size: str, language: str) -> dict[str, Shot]:
    return walk_once(_WALKS, (size, language), lambda: walk(floor.url, size, language), "super-")


UI_WORDS = ui_words()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_supervisor_screen(
    shots: dict[str, Shot],
    snapshot: SnapshotAssertion,
    screen: str,
    size: str,
    language: str,
) -> None:
    assert screen in shots, f"the walk did not reach {screen} (it reached {list(shots)})"
    shot = shots[screen]
    text = whole_text(screen, shot)
    for key in KEY_BAR.get(screen, []):
        assert key in shot.lines[-1].split(), f"key bar lacks {key}: {shot.lines[-1]!r}"
    if language == "zh":
        found = english_words(shot.lines, UI_WORDS, DATA_WORDS)
        assert found == set(), f"English UI words in Chinese: {sorted(found)}\n{text}"
    if screen not in CLOCK_BOUND | SNAPPED_ELSEWHERE:
        assert snapshot.use_extension(SVGImageExtension) == shot.svg


@pytest.mark.parametrize("language", ["zh"])
@pytest.mark.parametrize("size", ["80x24"])
def test_the_wall_names_the_refused_role_in_chinese(shots: dict[str, Shot]) -> None:
    """The refusal names the account's role in words: the backend's role name `agent`
    is not a word the English scan can tell from data."""
    text = "\n".join(shots["wall-refused"].lines)
    assert "（当前账号：坐席账号）" in text
    assert "agent" not in text.lower()
