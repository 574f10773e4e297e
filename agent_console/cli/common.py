"""What every subcommand shares: failing with one line, loading the config (its
problems printed in one place), and running the console."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import argparse

    from agent_console.config import Settings

#: `sub.add_parser` of the top-level parser: each area module adds its commands with it.
AddParser = Callable[..., "argparse.ArgumentParser"]


def fail(message: str, code: int = 1) -> NoReturn:
    print(f"agent-console: {message}", file=sys.stderr)
    raise SystemExit(code)


def fail_with_problems(what: str, problems: Iterable[object]) -> NoReturn:
    """A ConfigError's problems (config file, keymap, practice scenarios), one a line;
    exit status 2."""
    print(f"agent-console: {what} has problems:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    raise SystemExit(2)


def settings(path: str | None) -> Settings:
    from agent_console.config import load
    from agent_console.problems import ConfigError

    try:
        return load(path)
    except ConfigError as exc:
        fail_with_problems("the configuration", exc.problems)


def setup_log(args: argparse.Namespace) -> None:
    """The console's log file (logging and its handlers: ~25 ms of imports, which the
    demo makes after launching its backend)."""
    from agent_console import logs
    from agent_console.paths import log_dir

    logs.setup(log_dir() / "console.log", debug=args.debug)


def command(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], int]) -> None:
    """`run` is what `agent-console NAME` does (main() calls args.run)."""
    parser.set_defaults(run=run)
