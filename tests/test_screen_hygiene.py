"""Screens must not shadow Textual's own attributes: a screen method named `_render`
once replaced Widget._render and crashed the console on F3."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

SCREENS = Path(__file__).resolve().parent.parent / "screens"
TEXTUAL_NAMES = set(dir(Screen)) | set(dir(ModalScreen)) | set(dir(Widget))
ALLOWED = {
    "__init__",
    "compose",
    "render",
    "check_action",
    "dismiss",
    "BINDINGS",
    "CSS_PATH",
    "DEFAULT_CSS",
    "AUTO_FOCUS",
    "TITLE",
    "SUB_TITLE",
    "__str__",  # object's, not Textual's (the Wrapped visual's plain text)
    "render_line",  # Textual's line API, overridden on purpose (FitInput's placeholder)
    # HitsTable draws a DataTable's lines itself (screens/widgets/hits_table.py), as
    # DataTable does: its line API and the scroll size it keeps, on purpose.
    "render_lines",
    "virtual_size",
}


def _defined_names(tree: ast.AST) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.append((node.name, item.name))
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            found.append(("self", node.attr))
    return found


@pytest.mark.parametrize("path", sorted(SCREENS.rglob("*.py")), ids=lambda p: p.name)
def test_no_screen_shadows_a_textual_attribute(path: Path) -> None:
    clashes = [
        f"{owner}.{name}"
        for owner, name in _defined_names(ast.parse(path.read_text(encoding="utf-8")))
        if name in TEXTUAL_NAMES
        and name not in ALLOWED
        and not name.startswith(("on_", "action_", "watch_", "validate_", "compute_", "_on_"))
    ]
    assert clashes == []


def test_screens_silence_no_type_errors() -> None:
    """Screens reach the console through the typed `self.console`
    (screens/console_access.py), so pyright checks every use: none may silence it."""
    silenced = [
        f"{path.relative_to(SCREENS)}:{n}"
        for path in sorted(SCREENS.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line or "pyright: ignore" in line
    ]
    assert silenced == []
