"""The architecture, enforced: the layering contracts (import-linter), the console
never loading the server, and start-up not importing what the first screen does not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_layering_contracts_are_kept() -> None:
    """Which part may import which (pyproject [tool.importlinter], also in `make lint`):
    the core and the server never import Textual or the screens, the server never the
    console, practice never Textual; on the whole import graph, indirect imports too."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 3 kept, 0 broken." in out.stdout


@pytest.mark.parametrize(
    "module", ["agent_console.app", "agent_console.cli", "agent_console.backend_process"]
)
def test_the_console_does_not_import_the_server(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m.startswith(("agent_console.server", "fastapi", "uvicorn"))}


def test_starting_the_console_defers_http_and_keyring() -> None:
    """The token's first check (a thread, before Textual loads) speaks HTTP on a socket;
    httpx and keyring load later, keyring on that thread (client/first_check.py)."""
    loaded = loaded_after(
        "import agent_console.app, agent_console.cli, agent_console.client.first_check"
    )
    assert "httpx" not in loaded
    assert "keyring" not in loaded


def test_the_consoles_httpx_leaves_its_command_line_tool_out() -> None:
    """httpx imports its CLI (click, pygments) when they are installed, as they are here:
    ~19 ms of the console's first request (client/base.py)."""
    assert "click" in loaded_after("import httpx")  # the cost exists: this test can fail
    loaded = loaded_after("import agent_console.client.base, httpx; httpx.AsyncClient()")
    assert not {"click", "pygments"} & loaded


#: Loaded after the lookup screen is painted: the other hotkey screens when they are
#: mounted in the background (app.py HOTKEY_SCREENS, screens.later), the models of
#: other areas with them (agent_console/models/__init__.py), practice with its calls.
LAZY = [
    "agent_console.screens.scripts",
    "agent_console.screens.kb",
    "agent_console.screens.ticket",
    "agent_console.screens.directory",
    "agent_console.screens.followups",
    "agent_console.screens.help",
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
    assert {"agent_console.screens.lookup", "agent_console.models.caller"} <= loaded


def test_a_model_loads_only_its_area() -> None:
    loaded = loaded_after("from agent_console.models import Listing")
    models = {m for m in loaded if m.startswith("agent_console.models.")}
    assert models == {"agent_console.models.directory", "agent_console.models.fields"}


def test_making_the_app_loads_nothing_the_first_screen_does_not_need() -> None:
    """What AgentConsole() loads before the first paint: not the TextArea (the screen-pop
    checks for one only when a call rings) nor the ticket drafts (the outbox service
    opens them on first use)."""
    loaded = loaded_after(
        "from agent_console.app import AgentConsole\n"
        "from agent_console.client import BackendClient\n"
        "from agent_console.config import parse\n"
        "AgentConsole(parse('', '<test>'), BackendClient('http://127.0.0.1:9', 'token'))"
    )
    assert sorted(loaded & {"textual.widgets._text_area", "agent_console.ticket_draft"}) == []
