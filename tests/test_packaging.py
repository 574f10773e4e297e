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
        "agent_console/keymaps/default.toml",
        "agent_console/keymaps/laptop.toml",
        "agent_console/screens/lookup.tcss",
        "agent_console/screens/ticket.tcss",
        "agent_console/screens/practice/__init__.py",
        "agent_console/config.example.toml",
        "agent_console/server/demo_data/callers.toml",
        "agent_console/practice/scenarios/heat-half-hot.toml",
        "agent_console/locale/zh_CN/LC_MESSAGES/agent_console.mo",
    ):
        assert required in names, required
    # Nothing squats on site-packages' top level but agent_console (and its metadata).
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"agent_console", "agent_console-0.1.0.dist-info"}, tops
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "agent-console = agent_console.__main__:main" in zipfile.ZipFile(wheel).read(entry).decode()
    )


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
        "import agent_console, sys\n"
        "from agent_console import keymaps, screens\n"
        "from agent_console.keymap import shipped_names, default_keys\n"
        "from agent_console.cli import example_config_text\n"
        "from agent_console.server.demo import read_demo\n"
        "from agent_console.screens.lookup import LookupScreen\n"
        "import pathlib\n"
        "assert agent_console.__file__.startswith(sys.argv[1]), agent_console.__file__\n"
        "assert screens.__file__.startswith(sys.argv[1])\n"
        "assert keymaps.__file__.startswith(sys.argv[1])\n"
        "css = pathlib.Path(sys.modules['agent_console.screens.lookup'].__file__)"
        ".with_name('lookup.tcss')\n"
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
    assert not (target / "screens").exists() and not (target / "keymaps").exists()
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


def test_the_editable_install_finds_screens_and_keymaps_under_agent_console(
    tmp_path: Path,
) -> None:
    """The development venv (`pip install -e`) imports the same names as the wheel, from
    the repository's top-level folders."""
    probe = (
        "import agent_console.screens.lookup as lookup, agent_console.keymaps as keymaps\n"
        "print(lookup.__file__); print(keymaps.__file__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    lookup, keymaps = (Path(line).resolve() for line in out.stdout.split())
    assert lookup == ROOT / "screens" / "lookup.py"
    assert keymaps == ROOT / "keymaps" / "__init__.py"


def test_the_code_imports_screens_and_keymaps_only_under_agent_console() -> None:
    """A bare `import screens` works in the repository (it is on sys.path) but not in
    an installed copy: nothing may use it."""
    import ast

    bare = []
    for path in sorted(ROOT.glob("**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "build", "dist"} or rel.parts[:2] in {
            ("agent_console", "screens"),
            ("agent_console", "keymaps"),
        }:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            bare += [
                f"{rel}:{node.lineno}" for n in names if n.split(".")[0] in {"screens", "keymaps"}
            ]
    assert bare == []
