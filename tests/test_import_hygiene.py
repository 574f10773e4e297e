"""The architecture, enforced: headless modules never load Textual, the console never
loads the server, and start-up does not import what the first screen does not need."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


HEADLESS = [
    "agent_console.client",
    "agent_console.config",
    "agent_console.models",
    "agent_console.keymap",
    "agent_console.actions",
    "agent_console.auth",
    "agent_console.text",
    "agent_console.call",
    "agent_console.seat",
    "agent_console.seat.reporter",
    "agent_console.session",
    "agent_console.outbox",
    "agent_console.outbox_delivery",
    "agent_console.practice",
    "agent_console.practice.engine",
    "agent_console.practice.loader",
    "agent_console.practice.drill",
    "agent_console.server.api",
    "agent_console.server.storage.sqlite",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual_or_screens(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m == "textual" or m.startswith(("textual.", "screens"))}


@pytest.mark.parametrize(
    "module", ["agent_console.app", "agent_console.cli", "agent_console.backend_process"]
)
def test_the_console_does_not_import_the_server(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m.startswith(("agent_console.server", "fastapi", "uvicorn"))}


def test_server_uses_nothing_of_the_console_but_the_text_helpers() -> None:
    loaded = loaded_after("import agent_console.server.api, agent_console.server.runner")
    console = {
        m
        for m in loaded
        if m.startswith("agent_console.") and not m.startswith("agent_console.server")
    }
    assert console <= {"agent_console.text"}


def test_starting_the_console_defers_http_and_keyring() -> None:
    loaded = loaded_after("import agent_console.app, agent_console.cli")
    assert "httpx" not in loaded
    assert "keyring" not in loaded


#: Loaded after the lookup screen is painted: the other hotkey screens when they are
#: mounted in the background (app.py HOTKEY_SCREENS, screens.later), the models of
#: other areas with them (agent_console/models/__init__.py), practice with its calls.
LAZY = [
    "screens.scripts",
    "screens.kb",
    "screens.ticket",
    "screens.directory",
    "screens.followups",
    "screens.help",
    "agent_console.practice",
    "agent_console.practice.engine_io",
    "agent_console.models.directory",
    "agent_console.models.kb",
    "agent_console.models.practice",
    "agent_console.models.scripts",
    "agent_console.models.tickets",
    "importlib.resources",
    "textual.widgets._text_area",
]


def test_start_up_imports_only_what_the_lookup_screen_needs() -> None:
    loaded = loaded_after("import agent_console.app, agent_console.cli")
    assert sorted(loaded & set(LAZY)) == []
    assert {"screens.lookup", "agent_console.models.caller"} <= loaded


def test_a_model_loads_only_its_area() -> None:
    loaded = loaded_after("from agent_console.models import Listing")
    models = {m for m in loaded if m.startswith("agent_console.models.")}
    assert models == {"agent_console.models.directory", "agent_console.models.fields"}
