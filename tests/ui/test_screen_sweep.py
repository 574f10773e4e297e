"""The sweep (issue 17): every screen and its dialogs at 80x24 and 140x45, in English and
Chinese, walked as an agent would against a real backend (a fresh copy of the demo data
for each walk), then each screen scanned (tests/ui/screen_scan.py) for text cut without
a sign, Chinese lines that start with closing punctuation, English UI words in Chinese,
and a key bar without every screen key; and compared with its SVG snapshot.

One app run per size and language (cached for the module); one test per screen, size
and language reads what that run saw. Update the SVGs after an intended change:
`pytest tests/ui/test_screen_sweep.py --snapshot-update`, then look at them. To read
the screens as text: SWEEP_DUMP=/some/dir (one .txt per screen).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.app import App
from textual.pilot import Pilot

from agent_console import i18n, scripting
from agent_console.client import BackendClient
from agent_console.screens.dialog import Dialog
from agent_console.screens.widgets.key_bar import KeyBar
from agent_console.screens.widgets.status_bar import StatusBar
from tests.conftest import API, console_settings, login, start_backend
from tests.ui.helpers import FrozenClock, answers, table_rows, wait_for
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
from tests.ui.test_layout_snapshots import ring_me, settle

SIZES = {"80x24": (80, 24), "140x45": (140, 45)}
SCREENS = [
    "help", "lookup", "card", "new-caller", "scripts", "scripts-other", "four-more", "guide",
    "kb", "article", "sms-question", "flag", "ticket", "followups", "loop-ticket", "loop-form",
    "directory", "seat-picker", "note", "quit-question",
]  # fmt: skip
#: Dialogs: their key bar shows their own keys (screens/dialog.py), not the screen keys.
DIALOGS = {"help", "sms-question", "four-more", "flag", "loop-form", "seat-picker", "note",
           "quit-question"}  # fmt: skip
SCREEN_KEYS = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F12", "Ctrl+F2"]

#: Data, not UI, in Chinese mode: the category tree's English names are shown beside
#: the Chinese on purpose (agents type either), the demo's Latin words.
DATA_WORDS = {"heating", "not", "warm", "whole", "flat", "cold", "partly", "radiator", "half",
              "hnps", "leak", "building"}  # fmt: skip

#: Screens whose text is English data in Chinese mode: the phrases in the other language,
#: chosen by the agent for an English-speaking caller.
ENGLISH_DATA = {"scripts-other"}

#: English words the sweep may find in Chinese because a string is known not to be
#: translated yet (word -> which string): a screen showing only these is an xfail naming
#: it. Empty: every UI string on the swept screens follows the switch.
UNTRANSLATED: dict[str, str] = {}

#: Screens that show a time relative to the real clock ("in 2 h 59 min"): scanned, but
#: not compared with a snapshot (the minute would differ from run to run).
CLOCK_BOUND = {"followups", "loop-ticket", "loop-form"}

_TOURS: Walks = {}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StatusBar, "clock", FrozenClock("10:30:00"))
    monkeypatch.setattr(scripting, "current_hour", lambda: 10)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()


async def _shot(pilot: Pilot, shots: dict[str, Shot], name: str) -> None:
    app = pilot.app
    svg = await settle(pilot)
    lines = screen_lines(app)
    shots[name] = Shot(lines, cut_widgets(app, lines), svg, dialog_keys(app))


def dialog_keys(app: App[object]) -> list[str] | None:
    """The keys a dialog says it takes (its widgets' and its bindings'), or None."""
    screen = app.screen
    if not isinstance(screen, Dialog):
        return None
    return [hint.key for hint in screen.query_one(KeyBar).hints()]


def check_key_bar(screen: str, shot: Shot, dialog: bool) -> None:
    """A screen's bar has every screen key; a dialog's has its own keys and no other."""
    bar = shot.lines[-1]
    if not dialog:
        missing = [k for k in SCREEN_KEYS if k not in bar.split()]
        assert missing == [], f"key bar lacks {missing}: {bar!r}"
        return
    assert shot.dialog_keys, f"{screen} is not a dialog with keys of its own"
    missing = [k for k in shot.dialog_keys if k not in bar]
    assert missing == [], f"the dialog's bar lacks its keys {missing}: {bar!r}"
    foreign = [k for k in SCREEN_KEYS if k in bar.split()]
    assert foreign == [], f"the dialog's bar shows keys it swallows {foreign}: {bar!r}"


def _is(app: App[object], name: str) -> bool:
    return type(app.screen).__name__ == name


async def tour(pilot: Pilot, shots: dict[str, Shot]) -> None:
    """Every screen and dialog once, by the keys an agent uses."""
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")

    await pilot.press("f1")
    await wait_for(pilot, lambda: _is(app, "HelpScreen"))
    await _shot(pilot, shots, "help")
    await pilot.press("escape")

    await pilot.press("f2", *"王")
    await wait_for(pilot, lambda: answers(app, "王") and len(table_rows(app, "#lookup-hits")) > 3)
    await _shot(pilot, shots, "lookup")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query("#card-name"))
    await _shot(pilot, shots, "card")
    caller_id = app.screen.caller.id  # type: ignore[attr-defined]

    await pilot.press("f2", "ctrl+n")
    await wait_for(pilot, lambda: _is(app, "NewCallerScreen"))
    await _shot(pilot, shots, "new-caller")
    await pilot.press("escape")

    core = app.seat.core  # type: ignore[attr-defined]
    ring_me(app, caller_id)
    await wait_for(pilot, lambda: core.phase is not None)
    await pilot.press("ctrl+f2")
    await wait_for(pilot, lambda: core.phase == "on_call" and core.call.caller is not None)
    app.clear_notifications()

    await pilot.press("f3")
    await wait_for(pilot, lambda: app.current_mode == "scripts" and app.screen._fetched_at > 0)
    await _shot(pilot, shots, "scripts")
    await pilot.press("ctrl+t")  # the phrases in the other language (English for 中文)
    await wait_for(pilot, lambda: app.screen._override is not None)
    await _shot(pilot, shots, "scripts-other")
    await pilot.press("ctrl+t")
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: _is(app, "FourMoreScreen"))
    await _shot(pilot, shots, "four-more")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "ScriptsScreen"))
    await pilot.press("ctrl+g")
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "GuideScreen"))
    await _shot(pilot, shots, "guide")
    await pilot.press("escape")

    await pilot.press("f4", *"停暖")
    await wait_for(pilot, lambda: app.current_mode == "kb" and answers(app, "停暖"))
    await _shot(pilot, shots, "kb")
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "ArticleScreen") and app.screen.article is not None)
    await _shot(pilot, shots, "article")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: _is(app, "ConfirmScreen"))
    await _shot(pilot, shots, "sms-question")
    await pilot.press("escape")
    await wait_for(pilot, lambda: _is(app, "ArticleScreen"))
    await pilot.press("ctrl+f")
    await wait_for(pilot, lambda: _is(app, "FlagScreen"))
    await _shot(pilot, shots, "flag")
    await pilot.press("escape")

    await pilot.press("f5", *"暖气不热")
    await wait_for(pilot, lambda: app.current_mode == "ticket")
    await _shot(pilot, shots, "ticket")

    await pilot.press("f7")
    await wait_for(pilot, lambda: app.current_mode == "followups")
    await wait_for(pilot, lambda: table_rows(app, "#followups-table"))
    await _shot(pilot, shots, "followups")
    await pilot.press("enter")
    await wait_for(pilot, lambda: _is(app, "TicketDetailScreen"))
    await _shot(pilot, shots, "loop-ticket")
    await pilot.press("ctrl+b")
    await wait_for(pilot, lambda: _is(app, "LoopForm"))
    await _shot(pilot, shots, "loop-form")
    await pilot.press("escape")

    await pilot.press("f6", *"供热")
    await wait_for(pilot, lambda: answers(app, "供热") and table_rows(app, "#directory-hits"))
    await _shot(pilot, shots, "directory")

    await pilot.press("f8")
    await wait_for(pilot, lambda: _is(app, "SeatPicker"))
    await _shot(pilot, shots, "seat-picker")
    await pilot.press("escape")
    await wait_for(pilot, lambda: not _is(app, "SeatPicker"))

    await pilot.press("f12")
    await wait_for(pilot, lambda: _is(app, "CallNoteScreen"))
    await _shot(pilot, shots, "note")
    await pilot.press("escape")
    await wait_for(pilot, lambda: not _is(app, "CallNoteScreen"))

    await pilot.press("ctrl+q")
    await wait_for(pilot, lambda: _is(app, "QuitQuestion"))
    await _shot(pilot, shots, "quit-question")
    await pilot.press("escape")


def run_tour(template: Path, workdir: Path, size: str, language: str) -> dict[str, Shot]:
    from agent_console.app import AgentConsole

    backend = start_backend(template, workdir)
    monkeypatch = pytest.MonkeyPatch()
    try:
        _freeze(monkeypatch)
        i18n.set_language(language)
        token = login(backend.url)
        due = datetime.now(UTC) + timedelta(hours=3)
        r = httpx.post(  # one follow-up to open (the demo agent owes no callback)
            f"{backend.url}{API}/tickets",
            json={"category": "heat", "summary": "暖气不热，约好回访", "callback_due": iso(due)},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "sweep-1"},
        )
        assert r.status_code == 201, r.text
        client = BackendClient(backend.url, token)
        app = AgentConsole(console_settings(backend.url), client, remember_login=False)
        shots: dict[str, Shot] = {}

        async def auto_pilot(pilot: Pilot) -> None:
            try:
                await tour(pilot, shots)
            finally:
                app.exit()

        app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)
        return shots
    finally:
        i18n.set_language("en")
        monkeypatch.undo()
        time.tzset()
        backend.stop()


@pytest.fixture
def shots(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory, size: str, language: str
) -> dict[str, Shot]:
    return walk_once(
        _TOURS,
        (size, language),
        lambda: run_tour(demo_db_template, tmp_path_factory.mktemp("sweep"), size, language),
    )


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_screen(
    shots: dict[str, Shot],
    snapshot: SnapshotAssertion,
    screen: str,
    size: str,
    language: str,
) -> None:
    assert screen in shots, f"the tour did not reach {screen} (it reached {list(shots)})"
    shot = shots[screen]
    text = whole_text(screen, shot)
    check_key_bar(screen, shot, screen in DIALOGS)
    if language == "zh" and screen not in ENGLISH_DATA:
        found = english_words(shot.lines, ui_words(), DATA_WORDS)
        known = {w: UNTRANSLATED[w] for w in found if w in UNTRANSLATED}
        unknown = found - set(known)
        assert unknown == set(), f"English UI words in Chinese: {sorted(unknown)}\n{text}"
        if known:
            pytest.xfail("untranslated (sees-words): " + "; ".join(sorted(set(known.values()))))
    if screen not in CLOCK_BOUND:
        assert snapshot.use_extension(SVGImageExtension) == shot.svg
