"""Waiting on a real app and a real server: poll a condition, never sleep a guess."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from rich.text import Text
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from agent_console.screens.widgets.status_bar import Clock

#: How long a wait may take before the test fails. Generous: it only bounds a test that
#: fails anyway, and on a 2-core machine running the suite beside another one a step
#: that takes 0.3 s alone took over 10 s (CI runs with the machine busy).
WAIT_S = 30.0


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = WAIT_S) -> None:
    """Poll until the condition holds. A widget the condition reads may not exist yet,
    so errors while polling are expected; on time-out the last one is shown (a wrong
    selector fails as itself, not as a bare time-out)."""
    deadline = time.monotonic() + timeout
    error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if condition():
                return
            error = None
        except Exception as exc:
            error = exc
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout} s: {condition}") from error


def answers(app: App, query: str) -> bool:
    """The search screen's hits are those of `query`, the whole of it. Hits of the query
    a key short often look the same (a title holding the word), so waiting on their
    content alone lets a test assert on the previous query's results."""
    return getattr(app.screen, "shown_query", None) == query


def static_text(app: App, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


def status_part(app: App, name: str) -> str:
    """The text of part `name` ("agent", "state", "backend", "outbox"...) of the status
    bar on the screen shown (screens/widgets/status_bar.py)."""
    from agent_console.screens.widgets.status_bar import StatusBar

    return app.screen.query_one(StatusBar).text_of(name)


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


class FrozenClock(Clock):
    """A clock that stands still: one wall time, every timer at 00:00."""

    def __init__(self, wall: str = "10:30:00") -> None:
        self.shown = wall

    def wall(self) -> str:
        return self.shown

    def since(self, start: float) -> float:
        return 0.0
