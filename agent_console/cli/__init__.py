"""`agent-console` and its subcommands, one module per area: `seat` (the console,
practice, demo, web), `backend` (serve, seed, migrate-db), `account` (login, logout),
`config_file` (check-config, init-config), `outbox`, `report` (quality figures),
`wallboard` (the wall screen).
Each command imports only what it needs, late."""

from __future__ import annotations

import argparse

from agent_console import __version__, collector, seat_exit
from agent_console.cli import account, backend, config_file, outbox, report, seat, wallboard
from agent_console.cli.common import setup_log
from agent_console.cli.config_file import example_config_text

__all__ = ["example_config_text", "main"]


def parser() -> argparse.ArgumentParser:
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
    args = parser().parse_args(argv)
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
