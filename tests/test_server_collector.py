"""The server's collector (server/collector.py): start-up objects frozen, full
collections spaced out. In a child process, so the test run's own collector is untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import gc
from agent_console.server.api import create_app
from agent_console.server.collector import FULL_EVERY, settle
from agent_console.server.storage import open_storage
app = create_app(open_storage(sys.argv[1]))
made = len(gc.get_objects())
settle()
assert gc.get_freeze_count() >= made * 0.9, (gc.get_freeze_count(), made)
assert len(gc.get_objects()) < made * 0.1, len(gc.get_objects())
assert gc.get_threshold()[2] == FULL_EVERY
print("settled", made)
"""


def test_a_built_server_freezes_its_start_up_objects(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + CHILD, str(tmp_path / "centre.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("settled")
