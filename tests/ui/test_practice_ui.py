"""Practice mode end to end: real server, real App, keys pressed as a trainee would.

Time is a fake clock given to the practice desk; idle stretches are played by moving
it and calling the desk's once-a-second tick, so no test sleeps for real seconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from agent_console.app import AgentConsole
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.practice.engine import step_label
from agent_console.screens.practice.debrief import DebriefScreen
from agent_console.screens.practice.mentor import MentorScreen
from tests.conftest import API, console_settings, login, start_backend
from tests.practice.helpers import FakeClock
from tests.ui.helpers import burst, static_text, status_part, table_rows, wait_for

SIZE = (110, 36)


@pytest.fixture(scope="module")
def room(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    """This module's backend: its tests store results and hands for trainee 2001."""
    backend = start_backend(demo_db_template, tmp_path_factory.mktemp("practice-room"))
    yield backend
    backend.stop()


def trainee_app(url: str, scenario: str, clock: FakeClock, **settings: object) -> AgentConsole:
    base = console_settings(url)
    practice = dataclasses.replace(base.practice, **settings)  # type: ignore[arg-type]
    app = AgentConsole(
        dataclasses.replace(base, practice=practice),
        BackendClient(url, login(url, "2001")),
        practice=True,
        remember_login=False,
        practice_start=scenario,
    )
    app.desk.clock = clock
    return app


def panel(app: AgentConsole) -> str:
    return " | ".join(static_text(app, sel) for sel in ("#pp-lines", "#pp-hint", "#pp-notice"))


def choose(app: AgentConsole, selector: str, value: str) -> bool:
    """Pick a Select's value (raises until the options have loaded: wait_for retries)."""
    app.screen.query_one(selector, Select).value = value
    return True


def options(app: AgentConsole, selector: str) -> int:
    return app.screen.query_one(selector).option_count  # type: ignore[attr-defined]


async def idle(pilot: Pilot, app: AgentConsole, clock: FakeClock, seconds: int) -> None:
    """`seconds` pass with nothing done: one tick per second, as the interval does."""
    for _ in range(seconds):
        clock.now += 1
        app.desk.tick()
    await pilot.pause()


async def act(pilot: Pilot, clock: FakeClock, *keys: str) -> None:
    """Keys pressed a little apart (0.3 s of fake time each), as a quick trainee; runs
    of typed characters arrive as a burst, the way a fast typist's terminal sends them."""
    typed: list[str] = []
    for key in [*keys, ""]:
        clock.now += 0.3
        if len(key) == 1:
            typed.append(key)
            continue
        if typed:
            burst(pilot.app, typed)
            typed = []
        if key:
            await pilot.press(key)
    await pilot.pause()


async def hang_up(pilot: Pilot, app: AgentConsole) -> DebriefScreen:
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen))
    screen = app.screen
    assert isinstance(screen, DebriefScreen)
    await wait_for(pilot, lambda: "Stored" in static_text(app, "#debrief-stored"))
    return screen


def stored_results(url: str) -> list[dict]:
    token = login(url, "2001")
    r = httpx.get(f"{url}{API}/practice/results", headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return r.json()["items"]


async def test_a_perfect_run_scores_full_marks_and_is_stored(room: EmbeddedBackend) -> None:
    """heat-half-hot by its fastest path, as keys: greeting, lookup by phone, the
    air-lock article, a note with the one-more question, closing (and four-more)."""
    clock = FakeClock()
    app = trainee_app(room.url, "heat-half-hot", clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        assert "PRACTICE" in status_part(app, "practice")
        await act(pilot, clock, "f3")
        await wait_for(pilot, lambda: options(app, "#scripts-list") > 0)
        await act(pilot, clock, "enter")
        await wait_for(pilot, lambda: "喂，你好" in panel(app))  # the caller speaks
        await act(pilot, clock, "f2", *"13904711234")
        await wait_for(pilot, lambda: table_rows(app, "#lookup-hits")[0][1] == "王秀英")
        await act(pilot, clock, "enter")
        await wait_for(pilot, lambda: "金川新城17号楼" in panel(app))  # her next line
        await act(pilot, clock, "f4", *"气堵")
        await wait_for(pilot, lambda: options(app, "#kb-hits") > 0)
        await act(pilot, clock, "enter")
        await wait_for(pilot, lambda: "螺丝刀" in panel(app))
        await act(pilot, clock, "f12", *"问过是否装修", "enter")
        await act(pilot, clock, "f3", *"clos", "enter")
        await act(pilot, clock, "enter")  # the four-more checklist, then the closing
        await wait_for(pilot, lambda: "谢谢你啊" in panel(app))
        debrief = await hang_up(pilot, app)
        d = debrief.debrief
        assert (d.score, [i.id for i in d.missed]) == (100, [])
        assert d.scripted_hints == 0
        assert d.keystrokes > 0 and d.fastest_keystrokes == 38
        text = static_text(app, "#debrief-score")
        assert "Score 100/100" in text and f"Keystrokes {d.keystrokes}" in text
        assert "fastest known path: 38" in text
        assert "Nothing: every rubric item was met." in static_text(app, "#debrief-missed")
        assert static_text(app, "#debrief-fastest").startswith("F3 Enter F2 13904711234 Enter F4")
        assert all(row[0] == "✓" for row in table_rows(app, "#debrief-items"))
    mine = [r for r in stored_results(room.url) if r["scenario_id"] == "heat-half-hot"]
    assert mine and mine[0]["score"] == 100 and mine[0]["keystrokes"] == d.keystrokes


async def test_a_slow_run_gets_scripted_hints_naming_keys_and_the_caller_moves_on(
    room: EmbeddedBackend,
) -> None:
    clock = FakeClock()
    app = trainee_app(room.url, "heat-half-hot", clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        await idle(pilot, app, clock, 5)
        assert app.desk.view.hint is None and "喂" not in panel(app)
        await idle(pilot, app, clock, 1)  # the caller does not wait for a greeting forever
        assert "13904711234" in static_text(app, "#pp-lines")
        await idle(pilot, app, clock, 2)  # 8 s without greeting
        assert "Greet first: F3 opens the scripts" in static_text(app, "#pp-hint")
        await idle(pilot, app, clock, 15)
        assert "F2 opens the lookup; type 13904711234" in static_text(app, "#pp-hint")
        # The slow path: her name instead of her number.
        await act(pilot, clock, "f2", *"王秀英")
        await wait_for(
            pilot, lambda: "number is faster than the name" in static_text(app, "#pp-hint")
        )
        await act(pilot, clock, "f3")
        await wait_for(pilot, lambda: options(app, "#scripts-list") > 0)
        await act(pilot, clock, "enter")  # greets at last
        debrief = await hang_up(pilot, app)
        d = debrief.debrief
        assert d.scripted_hints == 3
        assert "3 scripted" in static_text(app, "#debrief-score")
        missed = static_text(app, "#debrief-missed")
        assert "Found the caller" in missed and "not done" in missed
        assert "Greeting used" not in missed  # done, only late


async def test_a_wrong_run_lists_what_was_missed_and_why(room: EmbeddedBackend) -> None:
    """The ticket screen opened for a radiator the caller can bleed herself: the hint
    says so; the trainee dispatches anyway, never greets or closes."""
    clock = FakeClock()
    app = trainee_app(room.url, "heat-half-hot", clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        await act(pilot, clock, "f2", *"13904711234")
        await wait_for(pilot, lambda: len(table_rows(app, "#lookup-hits")) == 1)
        await act(pilot, clock, "enter", "f5")
        await wait_for(pilot, lambda: "No ticket yet" in static_text(app, "#pp-hint"))
        assert "F4" in static_text(app, "#pp-hint")
        await act(pilot, clock, *"暖气上凉下热")
        # The form's Selects are set directly: choosing in them is not under test here.
        await wait_for(pilot, lambda: app.screen.set_category("heat.no_heat.partial"))
        await wait_for(pilot, lambda: choose(app, "#ticket-station", "HS-JC"))
        await act(pilot, clock, "ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
        debrief = await hang_up(pilot, app)
        d = debrief.debrief
        missed = {i.id: i.why for i in d.missed}
        assert missed == {
            "greeting": "not_done",
            "air-lock-article": "not_done",
            "one-more": "not_done",
            "closing": "not_done",
            "no-dispatch": "forbidden_done",
        }
        assert d.score == 20
        text = static_text(app, "#debrief-missed")
        assert "✗ Greeting used: not done" in text
        assert "Did not send staff for what she could fix herself: done, but it should not" in text
        rows = {row[1]: row[0] for row in table_rows(app, "#debrief-items")}
        assert rows["Found the caller (王秀英, 金川新城)"] == "✓"
        assert rows["Closing used"] == "✗"
        await pilot.press("alt+p")  # progress: the history, and where time goes
        await wait_for(pilot, lambda: "practice call" in static_text(app, "#progress-summary"))
        assert "last 20" in static_text(app, "#progress-summary")
        steps = [row[0] for row in table_rows(app, "#progress-where")]
        assert "Greeting used" in steps
    assert stored_results(room.url)[0]["score"] == 20


HOSTILE = "[@click=app.quit]x[/] [b]粗[/b] $(rm -rf ~)"


async def test_a_raised_hand_reaches_the_mentor_and_the_hint_comes_back_live(
    room: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two consoles on one server: trainee 2001 raises a hand, mentor 3001's room shows
    it, the mentor's hint appears on the trainee's screen over the events stream."""
    from agent_console.screens.practice import mentor as mentor_screen

    # Live means over the events stream: the room's fallback refresh (10 s) is put out
    # of reach, so no timing decides it (a 3 s deadline did, on a loaded machine). The
    # trainee polls for hints only while its stream is down, and it is live here.
    monkeypatch.setattr(mentor_screen, "REFRESH_SECONDS", 3600.0)
    clock = FakeClock()
    trainee = trainee_app(room.url, "dir-exact-name", clock)
    mentor = AgentConsole(
        console_settings(room.url),
        BackendClient(room.url, login(room.url, "3001")),
        remember_login=False,
    )
    async with trainee.run_test(size=SIZE) as tp, mentor.run_test(size=SIZE) as mp:
        await wait_for(tp, lambda: trainee.desk.live and trainee.session.events == "live")
        await wait_for(mp, lambda: mentor.session.agent is not None)
        await wait_for(mp, lambda: mentor.session.events == "live")
        await mp.press("f11")
        await wait_for(mp, lambda: isinstance(mentor.screen, MentorScreen))
        await wait_for(
            mp, lambda: "2001" in " ".join(r[1] for r in table_rows(mentor, "#mentor-room"))
        )
        await tp.press("f9")
        await wait_for(tp, lambda: "Hand raised" in static_text(trainee, "#pp-notice"))

        def hand_row() -> list[str]:
            return next(r for r in table_rows(mentor, "#mentor-room") if "2001" in r[1])

        await wait_for(mp, lambda: hand_row()[0] == "✋ raised")
        assert "Directory: the exact name" in hand_row()[2]
        assert trainee.desk.engine is not None
        # Where the trainee is, as a mentor reads it: caller lines heard (and the last
        # one, tests/test_practice_engine.py), not the scenario file's code for it.
        engine = trainee.desk.engine
        heard, lines = engine.state.step, len(engine.scenario.lines)
        assert hand_row()[3].startswith(f"{heard}/{lines}")
        assert hand_row()[3] == step_label(engine.scenario, engine.hand()["step"])
        assert table_rows(mentor, "#mentor-room")[0] == hand_row()  # hands first
        burst(mentor, HOSTILE)
        await mp.press("enter")
        await wait_for(tp, lambda: HOSTILE in static_text(trainee, "#pp-hint"))
        assert static_text(trainee, "#pp-hint").startswith("★ Mentor: ")
        assert trainee.is_running
        assert "Hint sent" in static_text(mentor, "#mentor-status")
        await wait_for(mp, lambda: hand_row()[0] == "")  # the hint answered the hand
        await tp.press("f10")
        await wait_for(tp, lambda: isinstance(trainee.screen, DebriefScreen))
        assert trainee.screen.debrief.mentor_hints == 1  # type: ignore[attr-defined]
        assert trainee.screen.debrief.hands == 1  # type: ignore[attr-defined]


async def test_the_mentor_screen_is_refused_clearly_to_others(room: EmbeddedBackend) -> None:
    clock = FakeClock()
    app = trainee_app(room.url, "dir-exact-name", clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        await pilot.press("f11")
        await wait_for(pilot, lambda: len(app._notifications) > 0)
        message = list(app._notifications)[-1].message
        assert "mentors and supervisors (you: trainee)" in message
        assert not isinstance(app.screen, MentorScreen)


async def test_a_trainee_token_writing_to_production_is_refused_on_screen(
    room: EmbeddedBackend,
) -> None:
    """Not in practice mode, the ticket goes to production: the backend's 403 is said
    next to the form (and nothing typed is lost)."""
    app = AgentConsole(
        console_settings(room.url),
        BackendClient(room.url, login(room.url, "2001")),
        remember_login=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5", *"热水不热")
        await wait_for(pilot, lambda: app.screen.set_category("heat.no_heat.partial"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "403" in static_text(app, "#ticket-status"))
        status = static_text(app, "#ticket-status")
        assert "⛔ Refused by the backend (403)" in status and "practice area" in status
        assert app.screen.query_one("#ticket-summary").value == "热水不热"  # type: ignore[attr-defined]


async def test_scenario_text_with_markup_renders_literally(
    room: EmbeddedBackend, tmp_path: Path
) -> None:
    """A centre's own scenario (from the configured folder) with markup in a caller
    line: shown as typed, nothing runs."""
    from agent_console.practice import shipped_scenarios

    source = Path(next(s for s in shipped_scenarios() if s.id == "heat-half-hot").source)
    text = source.read_text(encoding="utf-8").replace('id = "heat-half-hot"', 'id = "hostile"')
    text = text.replace("喂，你好！", HOSTILE.replace("\\", "\\\\"), 1)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "hostile.toml").write_text(text, encoding="utf-8")
    clock = FakeClock()
    app = trainee_app(room.url, "hostile", clock, scenarios=str(folder))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        await idle(pilot, app, clock, 6)
        assert HOSTILE in static_text(app, "#pp-lines")
        assert app.is_running


async def test_the_drill_names_its_calls_by_their_titles(room: EmbeddedBackend) -> None:
    """The practice menu's drill line lists the calls as the trainee knows them (their
    titles in the console's language), not by scenario ids ('heat-half-hot')."""
    from textual.widgets import OptionList

    from agent_console.screens.practice.menu import PracticeMenuScreen

    app = trainee_app(room.url, "", FakeClock())
    async with app.run_test(size=SIZE) as pilot:

        def drill_line() -> str:
            screen = app.screen
            assert isinstance(screen, PracticeMenuScreen) and screen.drill
            prompt = screen.query_one("#menu-list", OptionList).get_option_at_index(0).prompt
            return str(getattr(prompt, "plain", prompt))

        await wait_for(pilot, lambda: "→" in drill_line() or len(app.screen.drill) == 1)  # type: ignore[attr-defined]
        screen = app.screen
        assert isinstance(screen, PracticeMenuScreen)
        line = drill_line()
        for item in screen.drill:
            assert item.scenario.title.pick("en") in line
            assert item.scenario.id not in line
