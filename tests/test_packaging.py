"""`pip install .` (not editable) gives a console whose keymaps, stylesheets and demo
data are found through package resources, not through the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("agent_console-*.whl"))


def test_wheel_carries_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "keymaps/default.toml",
        "keymaps/laptop.toml",
        "screens/lookup.tcss",
        "screens/ticket.tcss",
        "agent_console/config.example.toml",
        "agent_console/server/demo_data/callers.toml",
        "agent_console/practice/scenarios/heat-half-hot.toml",
        "agent_console/locale/zh_CN/LC_MESSAGES/agent_console.mo",
    ):
        assert required in names, required
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "agent-console = agent_console.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_copy_works_away_from_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import agent_console, screens, keymaps, sys\n"
        "from agent_console.keymap import shipped_names, default_keys\n"
        "from agent_console.cli import example_config_text\n"
        "from agent_console.server.demo import read_demo\n"
        "from screens.lookup import LookupScreen\n"
        "import pathlib\n"
        "assert agent_console.__file__.startswith(sys.argv[1]), agent_console.__file__\n"
        "assert screens.__file__.startswith(sys.argv[1])\n"
        "css = pathlib.Path(sys.modules['screens.lookup'].__file__).with_name('lookup.tcss')\n"
        "assert css.exists()\n"
        "assert 'default' in shipped_names() and default_keys()['screen.lookup'] == 'f2'\n"
        "assert '[backend]' in example_config_text()\n"
        "assert read_demo('callers.toml')['caller']\n"
        "from agent_console.practice import shipped_scenarios\n"
        "assert len(shipped_scenarios()) >= 12\n"
        "from agent_console import i18n\n"
        "i18n.set_language('zh')\n"
        "assert i18n._('Directory') == '查号', i18n.LOCALE_DIR\n"
        "print('ok')\n"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
