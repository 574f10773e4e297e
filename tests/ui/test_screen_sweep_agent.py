"""The sweep's second walk (issue 17): the agent-side screens and dialogs the first walk
(test_screen_sweep.py) does not reach, at 80x24 and 140x45, in English and Chinese, each
scanned as there (cut text, Chinese punctuation at a line's edge, English UI words in
Chinese, a key bar with every screen key, a dialog's bar with its own keys) and
compared with its SVG snapshot unless what it shows runs with the clock.

Three consoles per size and language on one fresh copy of the demo data: agent 1001
from the sign-in form (a ringing call, the wrap-up code, the caller log, a callback and
its result, the idle lock), trainee 2001 in practice (menu, a practice call, its
debrief) and mentor 3001 (the mentor's room). Update the SVGs after an intended change:
`pytest tests/ui/test_screen_sweep_agent.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot

from agent_console import i18n
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from tests.conftest import API, console_settings, login, start_backend
from tests.practice.helpers import FakeClock
from tests.ui.helpers import wait_for
from tests.ui.screen_scan import (
    Shot,
    Walks,
    english_words,
    ui_words,
    walk_once,
    whole_text,
)
from tests.ui.test_layout_snapshots import ring_me
from tests.ui.test_screen_sweep import (
    DATA_WORDS,
    SIZES,
    _freeze,
    _is,
    _shot,
    check_key_bar,
    iso,
)

SCREENS = [
    "sign-in", "ringing", "wrap-up", "caller-log", "callback-result", "lock", "signed-out",
    "practice-menu", "practice-desk", "debrief", "mentor",
]  # fmt: skip
DIALOGS = {"wrap-up", "callback-result", "practice-menu"}
#: Screens with no key bar at all: the sign-in form and the lock say their keys.
NO_KEY_BAR = {"sign-in", "lock", "signed-out"}
#: Times relative to the real clock (a follow-up due "in 3 h", the called-back caller's
#: ticket on the card under the question, the call's length after it as the backend
#: measured it), the day's drill (planned by the date), or the practice call's own
#: seconds and the trainees' activity: scanned, not compared with an SVG.
CLOCK_BOUND = {"wrap-up", "caller-log", "callback-result", "practice-menu", "practice-desk",
               "debrief", "mentor"}  # fmt: skip

_TOURS: Walks = {}


async def agent_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """Agent 1001 signs in, takes a call, ends it, calls back a follow-up, goes idle."""
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: _is(app, "LoginScreen") and app.screen._up)
    await _shot(pilot, shots, "sign-in")
    await pilot.press(*"1001", "enter", *"demo", "enter")
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")

    core = app.seat.core  # type: ignore[attr-defined]
    policy = app.seat.policy  # type: ignore[attr-defined]
    policy.clock = FakeClock()  # a key "just now" for as long as the walk lasts: the
    policy.key()  # call is announced in the strip, never popped, however slow the machine
    ring_me(app, app.sweep_caller)  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: core.phase == "ringing")
    await _shot(pilot, shots, "ringing")
    await pilot.press("ctrl+f2")
    await wait_for(pilot, lambda: core.phase == "on_call" and not popping(app))
    app.clear_notifications()
    await pilot.press("f10")
    await wait_for(pilot, lambda: _is(app, "SeatPicker"))
    await _shot(pilot, shots, "wrap-up")
    await pilot.press("1")
    await wait_for(pilot, lambda: core.phase is None and not _is(app, "SeatPicker"))

    await pilot.press("f7")
    await wait_for(pilot, lambda: app.current_mode == "followups" and app.screen.items)
    await pilot.press("tab")
    await wait_for(pilot, lambda: app.screen.focused is app.screen.query_one("#missed-table"))
    await _shot(pilot, shots, "caller-log")
    await pilot.press("shift+tab")
    await wait_for(pilot, lambda: app.screen.focused is app.screen.query_one("#followups-table"))
    await pilot.press("ctrl+b")
    await wait_for(pilot, lambda: _is(app, "CallerCardScreen") and core.phase == "on_call")
    app.clear_notifications()
    await pilot.press("f10")
    await wait_for(pilot, lambda: _is(app, "ConfirmScreen"))
    await _shot(pilot, shots, "callback-result")
    await pilot.press("y")
    await wait_for(pilot, lambda: _is(app, "SeatPicker"))
    await pilot.press("1")
    await wait_for(pilot, lambda: core.phase is None and not _is(app, "SeatPicker"))

    lock = app.lock  # type: ignore[attr-defined]
    clock = FakeClock()
    lock.clock, lock.last_key = clock, clock()
    clock.now += 16 * 60
    lock.check()  # its timer's look, 15 minutes on
    await wait_for(pilot, lambda: _is(app, "LockScreen") and app.screen._up)
    await _shot(pilot, shots, "lock")
    await pilot.press(*"demo", "enter")
    await wait_for(pilot, lambda: not lock.locked and not _is(app, "LockScreen"))
    # The unlock restarts the event stream: the shot below shows it live (the backend's
    # check of the stream after the sign-out comes at its next heartbeat, 15 s later).
    # Without this wait the indicator was there in one run and not in the next.
    await wait_for(pilot, lambda: app.session.events == "live")  # type: ignore[attr-defined]

    # The backend ends the session (here a sign-out with the same token elsewhere).
    old = {"Authorization": f"Bearer {app.client.token}"}  # type: ignore[attr-defined]
    r = httpx.post(f"{app.client.base_url}{API}/auth/logout", headers=old)  # type: ignore[attr-defined]
    assert r.status_code == 204, r.text
    await pilot.press("f7")  # a key that asks the backend and types nothing anywhere
    await wait_for(pilot, lambda: _is(app, "LockScreen") and app.screen._up)
    await _shot(pilot, shots, "signed-out")


def popping(app: object) -> bool:
    """The card is still on its way (screens/call_pop.py): it would close a picker
    opened now, as showing a screen does."""
    workers = app.workers  # type: ignore[attr-defined]
    return any(w.group == "screen-pop" and w.is_running for w in workers)


async def trainee_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """Trainee 2001 in practice: the menu, the first call in it, its debrief."""
    app = pilot.app
    await wait_for(pilot, lambda: _is(app, "PracticeMenuScreen") and app.screen.drill)
    await _shot(pilot, shots, "practice-menu")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.desk.live)  # type: ignore[attr-defined]
    await pilot.press("f2")
    await wait_for(pilot, lambda: app.current_mode == "lookup")
    await _shot(pilot, shots, "practice-desk")
    await pilot.press("f10")
    await wait_for(pilot, lambda: _is(app, "DebriefScreen"))
    await wait_for(pilot, lambda: app.screen.query_one("#debrief-stored").visual)
    await _shot(pilot, shots, "debrief")


async def mentor_tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """Mentor 3001's room (F11), with the trainee who just practised in it."""
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.events == "live")
    await pilot.press("f11")
    await wait_for(pilot, lambda: _is(app, "MentorScreen"))
    await wait_for(pilot, lambda: app.screen.query_one("#mentor-room").row_count > 0)
    await _shot(pilot, shots, "mentor")


def _run(app: object, size: str, walk: Callable[..., object], shots: dict[str, Shot]) -> None:
    async def auto_pilot(pilot: Pilot) -> None:
        try:
            await walk(pilot, shots)  # type: ignore[misc]
        finally:
            pilot.app.exit()

    app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)  # type: ignore[attr-defined]


def _follow_up(backend: EmbeddedBackend) -> int:
    """A follow-up owed to a known caller (to call back), and the id of another caller
    (to ring: a card without the ticket, whose times run with the clock)."""
    token = login(backend.url)
    headers = {"Authorization": f"Bearer {token}"}
    found = httpx.get(f"{backend.url}{API}/callers", params={"q": "王"}, headers=headers)
    ring, caller = (hit["id"] for hit in found.json()["items"][:2])
    due = datetime.now(UTC) + timedelta(hours=3)
    body = {"category": "heat", "summary": "暖气不热，约好回访", "callback_due": iso(due),
            "caller_id": caller}  # fmt: skip
    r = httpx.post(f"{backend.url}{API}/tickets", json=body,
                   headers={**headers, "Idempotency-Key": "sweep-agent-1"})  # fmt: skip
    assert r.status_code == 201, r.text
    return int(ring)


def run_tours(template: Path, workdir: Path, size: str, language: str) -> dict[str, Shot]:
    from agent_console.app import AgentConsole

    backend = start_backend(template, workdir)
    monkeypatch = pytest.MonkeyPatch()
    try:
        _freeze(monkeypatch)
        i18n.set_language(language)
        caller = _follow_up(backend)
        url = backend.url
        shots: dict[str, Shot] = {}
        base = console_settings(url)
        settings = dataclasses.replace(
            base, console=dataclasses.replace(base.console, idle_lock_minutes=15)
        )
        agent = AgentConsole(settings, BackendClient(url, None), remember_login=False)
        agent.sweep_caller = caller  # type: ignore[attr-defined]
        _run(agent, size, agent_tour, shots)
        trainee = AgentConsole(
            console_settings(url),
            BackendClient(url, login(url, "2001")),
            practice=True,
            remember_login=False,
        )
        trainee.desk.clock = FakeClock()
        _run(trainee, size, trainee_tour, shots)
        mentor = AgentConsole(
            console_settings(url), BackendClient(url, login(url, "3001")), remember_login=False
        )
        _run(mentor, size, mentor_tour, shots)
        return shots
    finally:
        i18n.set_language("en")
        monkeypatch.undo()
        backend.stop()


@pytest.fixture
def shots(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, size: str, language: str
) -> dict[str, Shot]:
    return walk_once(
        _TOURS,
        (size, language),
        lambda: run_tours(demo_db_template, tmp_path_factory.mktemp("sweep-agent"), size, language),
    )


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_screen(
    shots: dict[str, Shot], snapshot: SnapshotAssertion, screen: str, size: str, language: str
) -> None:
    assert screen in shots, f"the walks did not reach {screen} (they reached {list(shots)})"
    shot = shots[screen]
    text = whole_text(screen, shot)
    if screen not in NO_KEY_BAR:
        check_key_bar(screen, shot, screen in DIALOGS)
    if language == "zh":
        found = english_words(shot.lines, ui_words(), DATA_WORDS)
        assert found == set(), f"English UI words in Chinese: {sorted(found)}\n{text}"
    if screen not in CLOCK_BOUND:
        assert snapshot.use_extension(SVGImageExtension) == without_port(shot.svg)


def without_port(svg: str) -> str:
    """The sign-in names the backend's URL, whose port is new on every run: the
    snapshot holds PORT and no length for that run of text."""
    return re.sub(
        r'textLength="[\d.]+"([^>]*>[^<]*?)127\.0\.0\.1:\d+',
        r'textLength=""\g<1>127.0.0.1:PORT',
        svg,
    )
