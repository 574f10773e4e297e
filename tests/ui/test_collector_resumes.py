"""The console resumes the garbage collector paused for its start (agent_console/
collector.py) after its first paint, in the first pause of typing, before it mounts
the other screens in the background, and freezes what is built once they are all
mounted."""

from __future__ import annotations

import asyncio
import gc

from agent_console import collector
from agent_console.app import HOTKEY_SCREENS
from tests.conftest import AppFactory

BACKGROUND = {mode for mode in HOTKEY_SCREENS if mode != "lookup"}


async def test_the_collector_resumes_before_the_background_mounts(make_app: AppFactory) -> None:
    was = gc.isenabled()
    collector.pause()  # as `agent-console` does before anything loads
    try:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            async with asyncio.timeout(30):
                while collector.paused():
                    started = BACKGROUND & set(app._screen_stacks)
                    assert not started, f"mounted with the collector paused: {sorted(started)}"
                    await pilot.pause(0.02)
            assert gc.isenabled()
            async with asyncio.timeout(30):  # and the mounts go on after it
                while not set(app._screen_stacks) >= BACKGROUND or app.mounts.mounting():
                    assert gc.get_freeze_count() == 0, "frozen before every screen is mounted"
                    await pilot.pause(0.1)
            # then what is built is left out of later collections
            async with asyncio.timeout(10):
                while gc.get_freeze_count() == 0:
                    await pilot.pause(0.1)
            assert app.mounts.last is None
    finally:
        gc.unfreeze()
        collector.resume()
        collector._ours = False
        if was:
            gc.enable()
