"""`agent-console wallboard`: the read-only board for a wall screen
(agent_console/screens/supervisor/wall.py), signed in with a wall account."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

from agent_console import seat_exit
from agent_console.cli.common import AddParser, command, fail, settings

if TYPE_CHECKING:
    import argparse

    from agent_console.config import Settings

#: The demo's wall account (same demo password as every demo account).
DEMO_WALL = "9900"


def add_parsers(add: AddParser) -> None:
    wall = add(
        "wallboard",
        help="the wallboard alone, read-only, for a wall screen (signs in with a wall account)",
    )
    wall.add_argument("--backend", metavar="URL", help="backend URL (default: from the config)")
    wall.add_argument(
        "--demo",
        action="store_true",
        help=f"start the reference backend with demo data, signed in as its wall ({DEMO_WALL})",
    )
    wall.add_argument(
        "--db", metavar="PATH", help="demo database (default: demo.db in the user data dir)"
    )
    command(wall, cmd_wallboard)


def run_wall(config: Settings, token: str | None) -> int:
    """The wall board until Ctrl+Q or a signal. The token is the environment's, or
    the board's own sign-in (never the keyring: a wall screen is no agent's seat)."""
    from agent_console.client import BackendClient
    from agent_console.i18n import detect, set_language
    from agent_console.screens.supervisor.wall import WallApp

    set_language(detect(config.console.language))
    app = WallApp(config, BackendClient.from_settings(config, token))
    seat = seat_exit.current

    def leave(_signum: int) -> None:
        app.exit()

    if seat is not None:  # a signal (the terminal closed, SIGTERM) ends the board
        app.call_later(seat.attach, leave)
    try:
        app.run()
    finally:
        if seat is not None:
            seat.detach()
    return app.return_code or 0


def cmd_wallboard(args: argparse.Namespace) -> int:
    from agent_console.backend_process import BackendStartError

    config = settings(args.config)
    if args.backend:
        config = dataclasses.replace(
            config, backend=dataclasses.replace(config.backend, url=args.backend)
        )
    token = os.environ.get("AGENT_CONSOLE_TOKEN") or None
    if not args.demo:
        return run_wall(config, token)
    from agent_console.cli.seat import demo_backend

    try:
        with demo_backend(args) as backend:
            token = backend.login(DEMO_WALL, "demo")
            config = dataclasses.replace(
                config, backend=dataclasses.replace(config.backend, url=backend.url)
            )
            return run_wall(config, token)
    except BackendStartError as exc:
        fail(str(exc))
