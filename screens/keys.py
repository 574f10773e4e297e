"""Textual Bindings built from the action catalogue, with keymaps/default.toml's keys.

The user's keymap then replaces keys by binding id (App.set_keymap), so a screen
never names a key itself.
"""

from __future__ import annotations

from textual.binding import Binding

from agent_console.actions import in_scope
from agent_console.i18n import _
from agent_console.keymap import default_keys


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


_NAMES = {
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "enter": "Enter",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_display(keys: str) -> str:
    """'f2,ctrl+s' -> 'F2 / Ctrl+S', as printed on a keyboard."""
    shown = []
    for key in filter(None, keys.split(",")):
        *mods, name = key.strip().split("+")
        if len(name) == 1 or (name[0] == "f" and name[1:].isdigit()):
            name = name.upper()
        else:
            name = _NAMES.get(name, name.capitalize())
        shown.append("+".join([*(m.capitalize() for m in mods), name]))
    return " / ".join(shown)
