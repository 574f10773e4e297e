"""`agent-console` without arguments skips argparse (cli/__init__.py): what it uses
instead must be what the parser would have given."""

from __future__ import annotations

from agent_console.cli import no_arguments, parser


def test_no_arguments_is_what_the_parser_gives_for_none() -> None:
    assert vars(no_arguments()) == vars(parser().parse_args([]))
