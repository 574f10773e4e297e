"""The commands that run or fill the reference backend: `serve`, `seed`, `migrate-db`.
The server's flags are its own (server/flags.py), shared with the runner."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.cli.common import AddParser, command, fail

if TYPE_CHECKING:
    import argparse


def add_parsers(add: AddParser) -> None:
    from agent_console.server.flags import add_server_flags  # argparse only

    serve = add("serve", help="run the reference backend")
    add_server_flags(serve)
    command(serve, cmd_serve)

    seed = add("seed", help="fill a database with deterministic synthetic data")
    seed.add_argument("--db", required=True, metavar="PATH")
    seed.add_argument("--callers", type=int, default=0)
    seed.add_argument("--directory", type=int, default=0)
    seed.add_argument("--articles", type=int, default=0)
    seed.add_argument("--seed", type=int, default=114, help="random seed (same seed, same data)")
    command(seed, cmd_seed)

    mig = add(
        "migrate-db",
        help="copy a centre's SQLite database into PostgreSQL (resumable; verifies counts)",
    )
    mig.add_argument("--from", dest="source", required=True, metavar="SQLITE_PATH")
    mig.add_argument("--to", dest="target", required=True, metavar="POSTGRES_URL")
    command(mig, cmd_migrate_db)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from agent_console.server.runner import flag_problem, serve_args
    except ImportError as exc:
        fail(f"the backend needs the server extra: pip install 'agent-console[server]' ({exc})")
    from agent_console.server.storage import StorageError

    if problem := flag_problem(args):
        fail(problem, 2)
    scheme = "https" if args.tls_cert else "http"
    shown_db = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", args.db)  # no password in logs
    print(
        f"agent-console backend on {scheme}://{args.host}:{args.port} (db {shown_db})",
        file=sys.stderr,
    )
    try:
        return serve_args(args)
    except StorageError as exc:
        fail(str(exc))


def cmd_seed(args: argparse.Namespace) -> int:
    try:
        from agent_console.server.seed import seed_database
    except ImportError as exc:
        fail(f"seeding needs the server extra: pip install 'agent-console[server]' ({exc})")
    counts = seed_database(
        args.db,
        callers=args.callers,
        directory=args.directory,
        articles=args.articles,
        seed=args.seed,
        progress=sys.stderr,
    )
    for table, n in counts.items():
        print(f"{table:>18}: {n:,}")
    return 0


def cmd_migrate_db(args: argparse.Namespace) -> int:
    """Run it again after an interruption: it continues where it stopped."""
    if not args.target.startswith(("postgresql://", "postgres://")):
        fail("--to must be a postgresql:// URL")
    if not Path(args.source).is_file():
        fail(f"no SQLite database at {args.source}")
    try:
        from agent_console.server.storage import StorageError
        from agent_console.server.storage.postgres.copy import migrate
    except ImportError as exc:
        fail(f"migrate-db needs: pip install 'agent-console[server,postgres]' ({exc})")
    try:
        counts = migrate(args.source, args.target, out=sys.stderr)
    except StorageError as exc:
        fail(str(exc))
    print(f"{'table':>22}  {'sqlite':>10}  {'postgres':>10}")
    for table, (a, b) in counts.items():
        print(f"{table:>22}  {a:>10,}  {b:>10,}")
    return 0
