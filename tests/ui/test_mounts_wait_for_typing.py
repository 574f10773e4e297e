"""The background mounts of the hotkey screens wait while the agent types.

A mount holds the event loop for a few hundred milliseconds on a loaded machine; a key
read meanwhile waits behind it. Measured in tmux at load 10, keys typed the moment the
agent's number showed appeared 4.8-6.7 s later, three screens composed before them.
Here the terminal's input thread is stood in for by `key_read()`, the call the seat's
driver makes as it reads each key (Pilot's keys do not pass through a terminal).
"""

from __future__ import annotations

import asyncio

from agent_console.app import HOTKEY_SCREENS
from tests.conftest import AppFactory

BACKGROUND = {mode for mode in HOTKEY_SCREENS if mode != "lookup"}


async def test_no_screen_mounts_while_keys_are_read_and_all_do_after(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        async with asyncio.timeout(15):
            while app.session.agent is None or not app.mounts.begun:
                await pilot.pause(0.05)
        for _ in range(20):  # 4 s of typing, a key every 0.2 s
            app.key_read()
            await pilot.pause(0.2)
            started = BACKGROUND & set(app._screen_stacks)
            assert not started, f"mounted while the agent typed: {sorted(started)}"
        async with asyncio.timeout(20):  # the agent stops: every screen mounts
            while not set(app._screen_stacks) >= BACKGROUND or app.mounts.mounting():
                await pilot.pause(0.1)
