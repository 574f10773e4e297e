"""Esc, then typing at once: the keys after the Esc are kept (no Textual here).

A terminal sends Alt+X as ESC followed by X, so Esc pressed a moment before typing
(within tmux's escape-time, or faster than the terminal reads) arrives as the same two
bytes. Textual read ESC+1 as a macOS Option character ("¡") and ESC+王 as nothing until
a time-out, so "Esc 1234王芳" on the lookup screen cleared nothing and typed "¡234王芳".
The seat's parser (terminal_driver.py) reads ESC+X as Alt+X at once; the console then
delivers an Alt+X that no key binding wants as what it was typed as: Esc, then X. An
Alt+X the keymap binds (the laptop keymap's alt+1 ... alt+7, alt+p) stays that key.
"""

from __future__ import annotations

from collections.abc import Container


def esc_then(key: str, character: str | None, bound: Container[str]) -> str | None:
    """The key to deliver after an Escape when `key` is an Alt+X nobody binds
    ("alt+1" -> "1", "alt+shift+a" -> "A"); None when `key` is to stay as it is."""
    if not key.startswith("alt+") or key in bound:
        return None
    if character is None or len(character) != 1 or not character.isprintable():
        return None
    rest = key.removeprefix("alt+")
    if rest.startswith("shift+") and character.isupper():
        return character  # Textual names an upper-case letter by itself: "A"
    if rest.startswith(("ctrl+", "shift+", "super+", "meta+")):
        return None  # Alt with another modifier: a chord, not Esc then a character
    return rest
