"""Textual Bindings built from the action catalogue, with keymaps/default.toml's keys.

The user's keymap then replaces keys by binding id (App.set_keymap), so a screen
never names a key itself. Descriptions stay English msgids and are translated where
they are shown, so a language switch at run time reaches them.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from agent_console.actions import in_scope
from agent_console.keymap import default_keys, key_display

__all__ = ["bindings_for", "key_display"]


def bindings_for(scope: str) -> list[BindingType]:
    defaults = default_keys()
    return [
        Binding(
            defaults[spec.id],
            spec.action,
            spec.description,  # the msgid: the key bar translates it when it draws
            show=spec.show,
            priority=spec.priority,
            id=spec.id,
        )
        for spec in in_scope(scope)
    ]
