"""The outbox sender as an unprivileged user, for tests/test_outbox_readonly.py.

Keeps one ticket, waits for a line on stdin (the test makes the folder read-only
meanwhile), then runs the console's OutboxSender, printing what it reports, until
the ticket was sent and the problem cleared.

Usage: python readonly_sender_child.py OUTBOX URL TOKEN SUMMARY
"""

from __future__ import annotations

import asyncio
import sys
import uuid

from agent_console.client import BackendClient
from agent_console.outbox import Counts, Entry, Outbox
from agent_console.outbox_delivery import OutboxSender, RetryPolicy


async def main(path: str, url: str, token: str, summary: str) -> None:
    outbox = Outbox(path)
    client = BackendClient(url, token)
    body = {"category": "heat.no_heat.partial", "summary": summary}
    outbox.enqueue(
        backend=client.base_url,
        agent_id="1001",
        method="POST",
        path="/tickets",
        body=body,
        idempotency_key=str(uuid.uuid4()),
        label=summary,
    )
    print("kept", flush=True)
    sys.stdin.readline()
    state = {"sent": False, "problem": "never"}
    done = asyncio.Event()

    def changed(counts: Counts, entry: Entry | None, outcome: str, message: str) -> None:
        print(f"change {outcome or '-'} waiting={counts.waiting}", flush=True)
        state["sent"] = state["sent"] or outcome == "sent"
        if state["sent"] and state["problem"] is None:
            done.set()

    def problem(what: str | None) -> None:
        print(f"problem {what}", flush=True)
        state["problem"] = what

    sender = OutboxSender(
        outbox,
        lambda e: client.request(
            e.method, e.path, json=e.body, headers={"Idempotency-Key": e.idempotency_key}
        ),
        backend=client.base_url,
        agent_id="1001",
        policy=RetryPolicy(first=0.1, cap=0.5),
        on_change=changed,
        on_problem=problem,
        lock_retry=0.2,
        refresh=0.2,
    )
    task = asyncio.create_task(sender.run())
    await asyncio.wait_for(done.wait(), 60)
    task.cancel()
    await client.aclose()
    print("finished", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
