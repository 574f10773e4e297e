"""Textual Bindings built from the action catalogue, with keymaps/default.toml's keys.

The user's keymap then replaces keys by binding id (App.set_keymap), so a screen
never names a key itself.
"""

from __future__ import annotations

from textual.binding import Binding

from agent_console.actions import in_scope
from agent_console.i18n import _
from agent_console.keymap import default_keys, key_display

__all__ = ["bindings_for", "key_display"]


def bindings_for(scope: str) -> list[Binding]:
    defaults = default_keys()
    return [
        Binding(
            defaults[spec.id],
            spec.action,
            _(spec.description),
            show=spec.show,
            priority=spec.priority,
            id=spec.id,
        )
        for spec in in_scope(scope)
    ]
