"""The console resumes the garbage collector paused for its start (agent_console/
collector.py) once every hotkey screen is mounted, with one full collection."""

from __future__ import annotations

import asyncio
import gc

from agent_console import collector
from agent_console.app import HOTKEY_SCREENS
from tests.conftest import AppFactory


async def test_the_collector_resumes_once_the_screens_are_mounted(make_app: AppFactory) -> None:
    was = gc.isenabled()
    collector.pause()  # as `agent-console` does before anything loads
    try:
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            async with asyncio.timeout(30):
                while not set(app._screen_stacks) >= set(HOTKEY_SCREENS) or app.mounts.mounting():
                    assert collector.paused(), "resumed before the screens were mounted"
                    await pilot.pause(0.05)
                while collector.paused():
                    await pilot.pause(0.05)
            assert gc.isenabled()
    finally:
        collector.resume()
        if was:
            gc.enable()
