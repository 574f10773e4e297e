"""A dialog over a screen (a question, a picker, a small form) with its own key bar.

Under a dialog the screen's key bar advertised keys the dialog swallows (Esc Clear,
Ctrl+N New caller). A dialog shows instead the keys that work in it: the keys its
widgets take (Enter in its box, digits in its list), named for what they do here, then
its bindings with the keymap's keys. Textual leaves the app's bindings out of a modal
screen's active bindings, so the bar lists the dialog's own and nothing else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, TypeVar

from textual.screen import ModalScreen

from agent_console.i18n import _
from agent_console.key_hints import Hint
from agent_console.screens.widgets.key_bar import KeyBar

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    #: Keys the dialog's widgets take, not its bindings: (key as printed, msgid of what
    #: it does here), shown first in its key bar.
    KEYS: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: A question whose answer goes on record (did the callback reach the caller?): a
    #: screen key would pop it with no answer and the record would never be made, so
    #: the screen keys wait (with the bell) until it is answered (app.action_open_screen).
    answer_required: bool = False

    def on_mount(self) -> None:
        """Every dialog gets its key bar, whatever its compose yields (subclasses'
        own on_mount run as well: Textual calls each class's handler)."""
        if not self.query(KeyBar):
            self.mount(KeyBar())

    def widget_keys(self) -> list[tuple[str, str]]:
        """(key, translated label) for the keys the widgets take; KEYS by default."""
        return [(key, _(label)) for key, label in self.KEYS]

    def key_hints(self, bound: list[Hint]) -> list[Hint]:
        """What the key bar shows here: the widgets' keys, then the bound ones. A key
        named by both is shown once, with the dialog's words; a bound key that does
        what a widget key does joins it ("Space/1-4 Tick")."""
        own = [Hint("", key, label, "", False) for key, label in self.widget_keys()]
        taken = {hint.key for hint in own}
        rest: list[Hint] = []
        for hint in bound:
            same = next((i for i, o in enumerate(own) if o.label == hint.label), None)
            if same is not None:
                own[same] = replace(own[same], key=f"{hint.key}/{own[same].key}")
            elif hint.key not in taken:
                rest.append(hint)
        return own + rest
