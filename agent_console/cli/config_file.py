"""`check-config` and `init-config`: the config file, checked or written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.cli.common import AddParser, command, fail, fail_with_problems, settings

if TYPE_CHECKING:
    import argparse


def add_parsers(add: AddParser) -> None:
    check = add("check-config", help="validate a config file and its keymap")
    check.add_argument(
        "path", nargs="?", help="config file (default: the one the console would use)"
    )
    command(check, cmd_check_config)
    init = add("init-config", help="write the commented example config")
    init.add_argument("path", nargs="?", help="where (default: config.toml in the user config dir)")
    command(init, cmd_init_config)


def cmd_check_config(args: argparse.Namespace) -> int:
    from agent_console.config import resolve_path

    path = args.path or args.config
    config = settings(path)
    where = config.path or resolve_path(path)
    print(
        f"{where or 'built-in defaults'}: OK (backend {config.backend.url}, "
        f"keymap {config.keymap.base}, {len(config.keys)} keys)"
    )
    if config.practice.scenarios:
        from agent_console.practice import load_folder
        from agent_console.problems import ConfigError

        try:
            extra = load_folder(config.practice.scenarios)
        except ConfigError as exc:
            fail_with_problems("the practice scenarios", exc.problems)
        print(f"{config.practice.scenarios}: OK ({len(extra)} practice scenarios)")
    return 0


def example_config_text() -> str:
    from importlib import resources

    packaged = resources.files("agent_console").joinpath("config.example.toml")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parents[2] / "config.example.toml"
    return source_tree.read_text(encoding="utf-8")


def cmd_init_config(args: argparse.Namespace) -> int:
    from agent_console.paths import default_config_path

    path = Path(args.path) if args.path else default_config_path()
    if path.exists():
        fail(f"{path} exists already; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example_config_text(), encoding="utf-8")
    print(f"Wrote {path}. Check it with: agent-console check-config {path}")
    return 0
