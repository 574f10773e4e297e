"""The README's key table is what agents learn from: every key that works everywhere
(the app's own bindings in the default keymap) must be in it, as the help screen
would spell it."""

from __future__ import annotations

import re
from pathlib import Path

from agent_console.actions import CATALOGUE
from agent_console.keymap import key_display, load_base

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_app_wide_key_is_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Keys") :]
    section = section[: section.index("\n## ", 5)]
    listed = set()
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| Key"):
            listed.update(k.strip() for k in re.split(r"[/·]", line.split("|")[1]))
    keys = load_base("default").keys
    missing = [
        (spec.id, key_display(keys[spec.id]).split(" / ")[0])
        for spec in CATALOGUE
        if spec.scope == "app" and keys.get(spec.id)
    ]
    missing = [(i, k) for i, k in missing if k not in listed]
    assert not missing, f"keys missing from README's table: {missing}"
