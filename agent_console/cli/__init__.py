"""`agent-console` and its subcommands, one module per area: `seat` (the console,
practice, demo, web), `backend` (serve, seed, migrate-db), `account` (login, logout),
`config_file` (check-config, init-config), `outbox`, `report` (quality figures),
`wallboard` (the wall screen).
Each command imports only what it needs, late. The console without arguments (an
agent's every start) does not build the parser: argparse and the commands' parsers
cost ~14 ms of a ~300 ms start (a bare Textual app's)."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from agent_console import __version__, collector, seat_exit
from agent_console.cli import seat
from agent_console.cli.common import setup_log
from agent_console.cli.config_file import example_config_text

if TYPE_CHECKING:
    import argparse

__all__ = ["example_config_text", "main"]


def no_arguments() -> argparse.Namespace:
    """What parser().parse_args([]) gives (tests/test_cli_fast_path.py keeps them equal)."""
    return cast(
        "argparse.Namespace",
        SimpleNamespace(config=None, debug=False, command=None, run=seat.cmd_console),
    )


def parser() -> argparse.ArgumentParser:
    import argparse

    from agent_console.cli import account, backend, config_file, outbox, report, wallboard

    p = argparse.ArgumentParser(
        prog="agent-console",
        description="Keyboard-driven console for hotline agents. Without a command: the console.",
    )
    p.add_argument("--version", action="version", version=f"agent-console {__version__}")
    p.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $AGENT_CONSOLE_CONFIG, "
        "else config.toml in the user config dir)",
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="log every request to the log file (numbers masked, never tokens)",
    )
    p.set_defaults(run=seat.cmd_console)
    sub = p.add_subparsers(dest="command")
    for area in (seat, backend, account, config_file, outbox, report, wallboard):
        area.add_parsers(sub.add_parser)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv) if argv else no_arguments()
    if args.command not in (None, "demo", "practice"):
        collector.resume()  # paused for the console's start only (agent_console/collector.py)
    if args.command in (None, "demo", "practice", "wallboard"):
        from agent_console.paths import log_dir

        # SIGHUP/SIGTERM/SIGINT end the console (and the demo's backend) in bounded
        # time from here to the last byte, whatever state it is in.
        seat_exit.install(log_dir() / "console.log")
        if args.command != "demo":  # the demo's once its backend is launched (seat.py)
            setup_log(args)
    return args.run(args)
