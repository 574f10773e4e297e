"""The garbage collector paused for the console's start (agent_console/collector.py):
only the entry pauses it, every command but the console's resumes it at once, and a
collector someone else turned off stays as they left it."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console import collector
from agent_console.cli import main


@pytest.fixture
def gc_restored() -> Iterator[None]:
    was = gc.isenabled()
    try:
        yield
    finally:
        collector.resume()
        # pause() took the collector over: left so, the next console to mount all its
        # screens in this test process froze it (collector.freeze), and a later test saw
        # 624,074 objects frozen (test_collector_resumes, a CI run).
        collector._ours = False
        gc.unfreeze()
        if was:
            gc.enable()


def test_pause_then_resume_collects_again(gc_restored: None) -> None:
    collector.pause()
    assert not gc.isenabled() and collector.paused()
    collector.resume()
    assert gc.isenabled() and not collector.paused()


def test_only_the_consoles_own_collector_is_frozen(gc_restored: None) -> None:
    """A process whose collector the console did not take over (a test run, a program
    embedding the App) keeps its objects in its collections."""
    collector._ours = False
    collector.freeze()
    assert gc.get_freeze_count() == 0
    collector.pause()
    collector.freeze()  # not while paused: resume() collects first
    assert gc.get_freeze_count() == 0
    collector.resume()
    try:
        collector.freeze()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        collector._ours = False


def test_a_collector_turned_off_elsewhere_is_left_off(gc_restored: None) -> None:
    gc.disable()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()


def test_a_command_other_than_the_console_collects_as_usual(
    gc_restored: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[keymap]\nbase = "laptop"\n', encoding="utf-8")
    collector.pause()  # as the entry does
    assert main(["check-config", str(good)]) == 0
    assert gc.isenabled()


def test_the_entry_pauses_the_collector_before_the_cli_loads() -> None:
    code = (
        "import gc, sys, importlib.abc\n"
        "seen = []\n"
        "class Watch(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'agent_console.cli':\n"
        "            seen.append(gc.isenabled())\n"
        "sys.meta_path.insert(0, Watch())\n"
        "sys.argv = ['agent-console', '--version']\n"
        "from agent_console.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[False]"
