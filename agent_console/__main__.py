"""`agent-console` and `python -m agent_console`: the CLI, with the garbage collector
paused before anything is imported (agent_console/collector.py)."""

from __future__ import annotations

from agent_console import collector


def main() -> int:
    collector.pause()
    from agent_console.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
