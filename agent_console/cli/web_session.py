"""One browser's console of `agent-console web` (agent_console/web_seat.py serves them):
textual-serve runs `python -m agent_console.cli.web_session` for each browser. The
token comes only from the environment, never the keyring; the console ends with the
web server that started it."""

from __future__ import annotations

import os
import signal
import sys

from agent_console.cli.common import settings as load_settings
from agent_console.web_seat import ENV_PARENT, ENV_TOKEN


def _die_with_parent() -> None:
    """End this console when the web server goes, even if it is killed outright: the
    console would otherwise live on with a closed stdin, holding a signed-in session."""
    parent = os.environ.get(ENV_PARENT)
    if not parent:
        return
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if str(os.getppid()) != parent:  # the server died before the line above
        raise SystemExit(1)


def run_session(config: str | None, wallboard: bool = False) -> int:
    """One browser's console (or wall board): token only from the environment, never
    the keyring."""
    _die_with_parent()
    settings = load_settings(config)
    token = os.environ.get(ENV_TOKEN) or None
    if wallboard:
        from agent_console.cli.wallboard import run_wall

        return run_wall(settings, token)
    from agent_console.cli.seat import run_console

    return run_console(settings, token, remember_login=False)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="agent_console.cli.web_session")
    p.add_argument("--config", metavar="PATH")
    p.add_argument("--wallboard", action="store_true")
    args = p.parse_args(argv)
    return run_session(args.config, args.wallboard)


if __name__ == "__main__":
    raise SystemExit(main())
