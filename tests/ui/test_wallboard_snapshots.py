"""Wallboard snapshots: the supervisor's board with 300 agents at 80x24 and 140x45, in
English and Chinese, in the real console against a real server (signed in as the demo
supervisor 9001). The board the server sends is replaced, once it has loaded, by a fixed
300-agent document, and every clock stands still, so the shot depends on the layout
only. Update after an intended change: `pytest tests/ui/test_wallboard_snapshots.py
--snapshot-update`, then look at the SVGs."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot

from agent_console import i18n
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.supervisor.board_pane import BoardPane
from tests.conftest import console_settings, login
from tests.ui.helpers import wait_for
from tests.ui.test_layout_snapshots import SIZES, frozen, settle, snap_server

__all__ = ["frozen", "snap_server"]  # fixtures, used by name

#: 10:30 in Shanghai, the moment every clock of the shot shows.
NOW = datetime(2026, 12, 6, 2, 30, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def centre(agents: int = 300) -> dict[str, Any]:
    """A fixed board: `agents` seats in every state, a busy morning's queue."""
    rnd = random.Random(16)
    names = ["王芳", "李强", "张伟", "Chen Jing", "刘洋", "赵敏", "[b]孙丽[/b]"]
    states = ["ready", "ringing", "on_call", "on_call", "acw", "not_ready", "signed_out"]
    rows = []
    for i in range(agents):
        state = rnd.choice(states)
        since = NOW - timedelta(seconds=rnd.randint(5, 3000))
        rows.append({
            "agent_id": f"s{i}", "agent_no": str(1100 + i), "name": rnd.choice(names),
            "hotline": rnd.choice(["12345", "12319"]), "team": rnd.choice("ABC"),
            "state": state, "reason": "午饭" if state == "not_ready" else "",
            "state_since": iso(since),
            "call_started_at": iso(since) if state in ("on_call", "ringing") else None,
            "calls_today": rnd.randint(0, 40), "aht_s": rnd.uniform(60, 600),
            "acw_s": rnd.uniform(10, 90), "callbacks_overdue": rnd.choice([0, 0, 0, 2]),
        })  # fmt: skip
    midnight = datetime(2026, 12, 5, 16, 0, tzinfo=timezone.utc)  # 00:00 in Shanghai
    slots = [
        {"at": iso(midnight + timedelta(minutes=15 * k)), "offered": rnd.randint(0, 30),
         "answered": 0, "abandoned": 0}
        for k in range(42)
    ]  # fmt: skip
    return {
        "at": iso(NOW), "service_level_s": 20, "agents": rows,
        "queue": {"ringing": 7, "longest_wait_s": 48.0, "offered_today": 612,
                  "answered_today": 580, "answered_within_sl": 493,
                  "service_level": 493 / 580, "abandoned_today": 32, "per_15min": slots},
        "hands": [{"id": "h1", "agent_id": "s3", "agent_no": "1103", "name": "王芳",
                   "station": "城东站", "since": iso(NOW), "text": "[red]求助[/red]"}],
        "overdue_callbacks": [{"station": "城东站", "count": 3, "oldest_due": iso(NOW)}],
    }  # fmt: skip


async def shoot(pilot: Pilot, shots: dict[str, str]) -> None:
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.backend_ok and session.events == "live")
    await pilot.press("ctrl+f11")
    await wait_for(pilot, lambda: app.current_mode == "wallboard")
    pane = app.screen.query_one(BoardPane)
    await wait_for(pilot, lambda: pane.board.loaded)
    # The server's board made way for the fixed one; its later events must not change it.
    app.event_stream.listeners.pop("board", None)  # type: ignore[attr-defined]
    pane.show_document(centre())
    shots["board"] = await settle(pilot)
    await pilot.press("ctrl+d")
    await wait_for(pilot, lambda: app.screen.query("#board-list"))
    shots["hands"] = await settle(pilot)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_wallboard_layout(
    snap_server: EmbeddedBackend,
    frozen: None,
    snapshot: SnapshotAssertion,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    size: str,
) -> None:
    from agent_console.app import AgentConsole

    monkeypatch.setattr(BoardPane, "clock", staticmethod(lambda: NOW))
    monkeypatch.setattr("agent_console.screens.supervisor.board_lists.utc_now", lambda: NOW)
    i18n.set_language(language)
    url = snap_server.url
    app = AgentConsole(console_settings(url), BackendClient(url, login(url, "9001")),
                       remember_login=False)  # fmt: skip
    shots: dict[str, str] = {}

    async def auto_pilot(pilot: Pilot) -> None:
        try:
            await shoot(pilot, shots)
        finally:
            app.exit()

    app.run(headless=True, size=SIZES[size], auto_pilot=auto_pilot)
    assert list(shots) == ["board", "hands"]
    svg = snapshot.use_extension(SVGImageExtension)
    differ = [name for name, shot in shots.items() if svg(name=name) != shot]
    assert differ == [], f"wallboard layout changed ({language}, {size}): {differ}"
