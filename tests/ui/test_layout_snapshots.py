"""Layout snapshots (pytest-textual-snapshot's SVG format, compared by syrupy): the main
screens at 80x24 (the smallest seat terminal) and 140x45, in English and Chinese,
against a real backend of their own (a fresh copy of the demo data, so other tests'
tickets cannot change what is shown). One app run per size and language walks the
screens as an agent would; the clock and the timers in the status bar are frozen.

Update after an intended change: `pytest tests/ui/test_layout_snapshots.py
--snapshot-update`, then look at the SVGs (`git diff --stat`, open them in a browser).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from agent_console import i18n, scripting
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.widgets.status_bar import StatusBar
from tests.conftest import API, console_settings, login, start_backend
from tests.ui.helpers import FrozenClock, answers, table_rows, wait_for

SIZES = {"80x24": (80, 24), "140x45": (140, 45)}


@pytest.fixture(scope="module")
def snap_server(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    backend = start_backend(demo_db_template, tmp_path_factory.mktemp("snap-server"))
    yield backend
    backend.stop()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing on screen depends on when the test runs: clock, timers, greeting, zone."""
    monkeypatch.setattr(StatusBar, "clock", FrozenClock("10:30:00"))
    monkeypatch.setattr(scripting, "current_hour", lambda: 10)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def screen_busy(app: App[object]) -> bool:
    """A worker of the screen on show (or of one of its widgets) is still running."""
    screen = app.screen
    for worker in app.workers:
        node = worker.node
        if not worker.is_running:
            continue
        mine = isinstance(node, Widget) and node.is_attached and node.screen is screen
        if node is screen or mine:
            return True
    return False


async def settle(pilot: Pilot, timeout: float = 5.0) -> str:
    """The screenshot once the screen stops changing (workers done, no blinking)."""
    app = pilot.app
    # Every screen of the stack: a dialog's shot also shows the screen beneath, whose
    # focused input keeps its own blink timer (its cursor was drawn or not by chance).
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
                if isinstance(widget, Input):
                    widget._cursor_visible = True  # pyright: ignore[reportPrivateUsage]
    last = ""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause(0.15)
        late = time.monotonic() >= deadline
        if screen_busy(app) and not late:
            continue  # a load still on its way: a still screen now is not the final one
        shot = app.export_screenshot()
        if shot == last or late:
            return shot
        last = shot


def ring_me(app: object, caller_id: int) -> None:
    """A simulated call from `caller_id` to the signed-in agent, placed by a supervisor."""
    url = app.client.base_url  # type: ignore[attr-defined]
    token = login(url, "9001")
    r = httpx.post(
        f"{url}{API}/calls/simulate",
        json={"agent_id": "1001", "caller_id": caller_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text


def hang_up(app: object, call_id: int) -> None:
    """The tour's call ends at the backend: a console started later (the next size or
    language, on the same server) would take up a call still going."""
    url, token = app.client.base_url, app.client.token  # type: ignore[attr-defined]
    r = httpx.post(
        f"{url}{API}/calls/{call_id}/hangup", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.text


async def tour(pilot: Pilot, shots: dict[str, str]) -> None:
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")

    await pilot.press("f2", *"王")
    await wait_for(pilot, lambda: answers(app, "王") and len(table_rows(app, "#lookup-hits")) > 3)
    shots["lookup"] = await settle(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query("#card-name"))
    shots["card"] = await settle(pilot)  # opened by hand: no call in the strip

    # That caller calls: the strip shows the call on every screen from here on.
    core = app.seat.core  # type: ignore[attr-defined]
    ring_me(app, app.screen.caller.id)  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: core.phase is not None)
    await pilot.press("ctrl+f2")  # take it (it may have been announced: keys were pressed)
    await wait_for(pilot, lambda: core.phase == "on_call" and core.call.caller is not None)
    app.clear_notifications()  # the "incoming call" toast would go at a moment of its own

    await pilot.press("f3")
    await wait_for(pilot, lambda: app.current_mode == "scripts")
    # The phrases come from the cache at once and from the backend a moment later.
    await wait_for(pilot, lambda: app.screen._fetched_at > 0)
    shots["scripts"] = await settle(pilot)

    await pilot.press("f4", *"停暖")
    await wait_for(pilot, lambda: app.current_mode == "kb" and answers(app, "停暖"))
    shots["kb"] = await settle(pilot)

    await pilot.press("f5", *"暖气不热")
    await wait_for(pilot, lambda: app.current_mode == "ticket")
    shots["ticket"] = await settle(pilot)

    await pilot.press("f7")
    await wait_for(pilot, lambda: app.current_mode == "followups")
    shots["followups"] = await settle(pilot)

    await pilot.press("f6", *"供热")
    await wait_for(pilot, lambda: answers(app, "供热") and table_rows(app, "#directory-hits"))
    shots["directory"] = await settle(pilot)
    hang_up(app, core.call.call_id)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_main_screens_layout(
    snap_server: EmbeddedBackend,
    frozen: None,
    snapshot: SnapshotAssertion,
    language: str,
    size: str,
) -> None:
    from agent_console.app import AgentConsole

    i18n.set_language(language)
    client = BackendClient(snap_server.url, login(snap_server.url))
    app = AgentConsole(console_settings(snap_server.url), client, remember_login=False)
    shots: dict[str, str] = {}

    async def auto_pilot(pilot: Pilot) -> None:
        try:
            await tour(pilot, shots)
        finally:
            app.exit()

    app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)
    assert list(shots) == ["lookup", "card", "scripts", "kb", "ticket", "followups", "directory"]
    svg = snapshot.use_extension(SVGImageExtension)
    differ = [name for name, shot in shots.items() if svg(name=name) != shot]
    assert differ == [], f"layout changed ({language}, {size}): {differ}"
