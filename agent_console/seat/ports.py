"""What the seat's services ask of the console around them, narrowly.

The services under agent_console/seat/ take these instead of the whole App: a way
to run their network work in the background (the App runs it in a Textual worker,
a test runs it on its own loop) and a way to tell the agent something (a toast in
the App, a list in a test). No Textual here.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Literal, Protocol

Severity = Literal["information", "warning", "error"]


class Spawn(Protocol):
    """Run `work` in the background; `exclusive` cancels the group's earlier work."""

    def __call__(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None: ...


class Tell(Protocol):
    """Tell the agent something (plain text: never markup)."""

    def __call__(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
    ) -> None: ...
