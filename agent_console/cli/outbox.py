"""`agent-console outbox`: look into the outbox file, send it headless, fix refusals.

The same Outbox and OutboxSender the console runs, so an admin (or a test) can see
and drain exactly what the console would.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.cli.common import AddParser, command
from agent_console.cli.common import settings as load_settings

if TYPE_CHECKING:
    import argparse

    from agent_console.config import Settings
    from agent_console.outbox import Counts, Entry, Outbox


def add_parsers(add: AddParser) -> None:
    p = add(
        "outbox",
        help="list, send, retry or discard tickets kept while the backend was down",
        description="Tickets saved while the backend was unreachable wait in the outbox "
        "file until the console sends them. Without an action: list them.",
    )
    p.add_argument(
        "action", nargs="?", default="list", choices=("list", "send", "retry", "discard")
    )
    p.add_argument("id", nargs="?", type=int, help="entry id (retry, discard)")
    p.add_argument(
        "--file", metavar="PATH", help="outbox file (default: [outbox] file, else the data dir)"
    )
    p.add_argument(
        "--agent", metavar="ID", help="send: whose entries (default: the signed-in agent)"
    )
    command(p, cmd_outbox)


def outbox_path(settings: Settings, explicit: str | None) -> Path:
    from agent_console.outbox import default_path

    return Path(explicit or settings.outbox.file or default_path()).expanduser()


def run(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.outbox import Outbox

    path = outbox_path(settings, args.file)
    if args.action != "send" and not path.exists():
        print(f"{path}: no outbox file (nothing was ever kept here).")
        return 0
    outbox = Outbox(path)
    try:
        if args.action == "list":
            return _list(outbox)
        if args.action == "send":
            import asyncio  # (not at import: `demo` starts its backend before asyncio loads)

            return asyncio.run(_send(outbox, settings, args.agent))
        if args.id is None:
            print(f"agent-console: outbox {args.action} needs an entry id", file=sys.stderr)
            return 2
        done = outbox.requeue(args.id) if args.action == "retry" else outbox.discard(args.id)
        if not done:
            print(f"agent-console: no outbox entry {args.id}", file=sys.stderr)
            return 1
        what = "will be sent again" if args.action == "retry" else "was discarded"
        print(f"Entry {args.id} {what}.")
        return 0
    finally:
        outbox.close()


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))


def _list(outbox: Outbox) -> int:
    entries = outbox.entries()
    print(f"{outbox.path}: {len(entries)} kept")
    for e in entries:
        print(
            f"#{e.id} {e.state:<8} {e.method} {e.path}  agent {e.agent_id} at {e.backend}\n"
            f"    {e.label!r}\n"
            f"    kept {_when(e.created_at)}, {e.attempts} attempt(s)"
            + (f", next {_when(e.next_attempt_at)}" if e.state == "waiting" else "")
            + f"\n    key {e.idempotency_key}"
            + (f"\n    last error: {e.last_error}" if e.last_error else "")
        )
    return 0


async def _send(outbox: Outbox, settings: Settings, agent_id: str | None) -> int:
    """Send this seat's entries for the configured backend until none waits."""
    import asyncio

    from agent_console import auth
    from agent_console.client import BackendClient, BackendUnavailable, Unauthorized
    from agent_console.outbox_delivery import OutboxSender, RetryPolicy

    url = settings.backend.url
    token, _source = auth.token_for(url)
    if not token:
        print(f"agent-console: not signed in to {url}; run `agent-console login`", file=sys.stderr)
        return 3
    client = BackendClient.from_settings(settings, token)
    policy = RetryPolicy(first=settings.outbox.first_backoff, cap=settings.outbox.max_backoff)
    try:
        attempt = 0
        while agent_id is None:  # whose entries: ask the backend, waiting for it if down
            try:
                agent_id = (await client.me()).id
            except BackendUnavailable as exc:
                attempt += 1
                print(f"waiting for the backend: {exc.message}", file=sys.stderr)
                await asyncio.sleep(policy.ceiling(attempt))
            except Unauthorized as exc:
                print(f"agent-console: {exc.message}", file=sys.stderr)
                return 3

        def report(counts: Counts, entry: Entry | None, outcome: str, message: str) -> None:
            if entry is not None:
                print(
                    f"{outcome} #{entry.id} {entry.idempotency_key} {message}".rstrip(),
                    f"({counts.waiting} waiting, {counts.refused} refused)",
                    flush=True,
                )

        async def send(entry: Entry) -> object:
            return await client.request(
                entry.method,
                entry.path,
                json=entry.body,
                headers={"Idempotency-Key": entry.idempotency_key},
            )

        sender = OutboxSender(
            outbox,
            send,
            backend=client.base_url,
            agent_id=agent_id,
            policy=policy,
            on_change=report,
        )
        await sender.drain()
    finally:
        await client.aclose()
    counts = outbox.counts(client.base_url, agent_id)
    print(f"done: {counts.waiting} waiting, {counts.refused} refused", flush=True)
    return 0 if not counts.waiting and not counts.refused else 1


def cmd_outbox(args: argparse.Namespace) -> int:
    return run(args, load_settings(args.config))
