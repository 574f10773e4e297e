"""One module per hotkey screen, each with its bindings and its stylesheet beside it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


class later:  # lower case: it reads as a function in the MODES table
    """A screen class imported only when the screen is first made (a Textual MODES
    entry may be any callable returning a screen): start-up does not pay for screens
    the agent has not opened yet."""

    def __init__(self, module: str, name: str) -> None:
        self.module_name, self.class_name = module, name

    def screen_class(self) -> type[Screen]:
        screen_class: type[Screen] = getattr(
            importlib.import_module(self.module_name), self.class_name
        )
        return screen_class

    def __call__(self) -> Screen:
        return self.screen_class()()
