"""The console's own theme: high contrast, for low vision and washed-out seat screens.

Pure white on pure black, focus in bold yellow, errors on full red: colours that
survive a 16-colour terminal (TEXTUAL_COLOR_SYSTEM=standard maps them to the ANSI
ones without loss). Colour is never the only signal: every state also has words
and a symbol (screens/widgets/status_bar.py).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="high-contrast",
    dark=True,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF0000",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000080",
    boost="#FFFFFF",
    variables={
        "text-muted": "#FFFFFF",
        "text-disabled": "#C0C0C0",
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "#000000",
        "block-cursor-blurred-background": "#C0C0C0",
        "input-cursor-background": "#FFFFFF",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#0000FF",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "scrollbar": "#C0C0C0",
        "scrollbar-background": "#000000",
    },
)


def register(app: App[Any]) -> None:
    """Make the console's themes selectable by name (config, command palette)."""
    app.register_theme(HIGH_CONTRAST)
