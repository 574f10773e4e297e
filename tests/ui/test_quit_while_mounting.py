"""Quitting while a hotkey screen is still mounting in the background.

Textual mounts nothing more once exit() is called (nor under a node it prunes at
shutdown), but a widget that composes after that still gets its Mount event, with no
children. CI once quit the demo right as the ticket screen was composing in the
background: its Mount handler found no fields and the console exited 1. Here the quit
lands exactly there, for every background screen: at the moment the screen's first
child starts composing (Textual's message hook sees that Compose before it runs).
"""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from agent_console.app import HOTKEY_SCREENS
from tests.conftest import AppFactory

#: Mounted after the first paint (lookup is the first screen, mounted before it).
BACKGROUND = [mode for mode in HOTKEY_SCREENS if mode != "lookup"]


class MidMount:
    """Spots the first Compose under the background screen of `mode`, and how full
    that screen's tree was when the screen itself got Mount."""

    def __init__(self, mode: str) -> None:
        entry = HOTKEY_SCREENS[mode]  # a class, or a screens.later that imports it
        self.screen_type = entry if isinstance(entry, type) else entry.screen_class()
        self.reached = asyncio.Event()
        self.children_at_mount: int | None = None

    def hook(self, message: Message) -> bool:
        """Record the screen's Mount; True at the Compose where the quit should land."""
        node = message._sender  # the widget the event is for (sent from its own task)
        if isinstance(message, events.Mount) and isinstance(node, self.screen_type):
            self.children_at_mount = len(node.children)
        if self.reached.is_set() or not isinstance(message, events.Compose):
            return False
        if not isinstance(node, Widget) or isinstance(node, Screen):
            return False
        if not isinstance(node.screen, self.screen_type):
            return False
        self.reached.set()
        return True


async def until_stopped(app: object, timeout: float = 10.0) -> None:
    """The app's message loop has ended (pilot.pause needs a screen: none is left)."""
    async with asyncio.timeout(timeout):
        while app.is_running:  # type: ignore[attr-defined]
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("mode", BACKGROUND)
async def test_quit_as_a_background_screen_composes_exits_cleanly(
    make_app: AppFactory, mode: str
) -> None:
    app = make_app()
    spot = MidMount(mode)

    def hook(message: Message) -> None:
        if spot.hook(message):
            app.exit()  # what Ctrl+Q does

    async with app.run_test(size=(100, 30), message_hook=hook):
        await asyncio.wait_for(spot.reached.wait(), 15)
        await until_stopped(app)
    assert app.return_code == 0
    assert spot.children_at_mount, "the screen got Mount with its tree unmounted"


async def test_a_test_ending_as_the_ticket_screen_composes_shuts_down_cleanly(
    make_app: AppFactory,
) -> None:
    """Pilot shuts the app down without exit(): Textual prunes the screens instead, and
    the ticket form's selects, composed after that, got Mount with nothing inside.
    (The other screens' widgets happen to compose before the pruning here.)"""
    app = make_app()
    spot = MidMount("ticket")
    async with app.run_test(size=(100, 30), message_hook=spot.hook):
        async with asyncio.timeout(15):
            await spot.reached.wait()
    # run_test raises the first exception the app hit; the screen must be whole too.
    assert spot.children_at_mount
