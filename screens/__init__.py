"""One module per hotkey screen, each with its bindings and its stylesheet beside it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


def later(module: str, name: str) -> Callable[[], Screen]:
    """A screen class imported only when the screen is first made (a Textual MODES
    entry may be any callable returning a screen): start-up does not pay for screens
    the agent has not opened yet."""

    def make() -> Screen:
        screen_class: type[Screen] = getattr(importlib.import_module(module), name)
        return screen_class()

    return make
