"""Waiting on a real app and a real server: poll a condition, never sleep a guess."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from rich.text import Text
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:
            pass
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout} s: {condition}")


def static_text(app: App, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


def table_rows(app: App, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def burst(app: App, keys: Iterable[str]) -> None:
    """Deliver keys the way a fast typist's terminal does: all queued at once, before
    the app has processed the first (Pilot.press waits for idle between keys)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
