"""A console's save path without the terminal, to be SIGKILLed (tests/test_save_crash.py).

What the ticket form does from the autosave to the end of a save, with the very
functions it calls: the draft written as the agent types, Ctrl+S (hand-over), the
request, the outbox when the backend is away, the hand-over deleted. KILL_AT names a
moment at which this process SIGKILLs itself; otherwise the parent kills it from
outside after "ctrl+s" is printed.

Usage: python save_crash_child.py DATA_DIR URL TOKEN SUMMARY KEY
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from agent_console.client import BackendClient
from agent_console.outbox import Outbox
from agent_console.ticket_draft import DraftStore, Owner
from agent_console.ticket_saving import SaveJob, hand_over, save

KILL_AT = os.environ.get("KILL_AT", "")


def moment(name: str) -> None:
    print(name, flush=True)
    if name == KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


class Store(DraftStore):
    def clear(self, owner: Owner, call: str) -> None:
        moment("handed-over")  # the hand-over is on disk, the draft not yet deleted
        super().clear(owner, call)
        moment("draft-deleted")

    def handed_over_done(self, key: str) -> None:
        moment("before-hand-over-done")
        super().handed_over_done(key)


async def main(data: Path, url: str, token: str, summary: str, key: str) -> None:
    store = Store(data / "drafts")
    outbox = Outbox(data / "outbox.sqlite")
    owner = Owner(url.rstrip("/"), "1001")
    client = BackendClient(url, token, timeout=3.0, connect_timeout=1.0)
    draft = {"idempotency_key": key, "summary": summary, "category": "heat.no_heat.partial"}
    store.save(owner, "", dict(draft, notes="", priority="normal", source="hotline"))
    moment("typed")
    body = {
        "caller_id": None,
        "category": "heat.no_heat.partial",
        "priority": "normal",
        "source": "hotline",
        "summary": summary,
        "notes": "",
        "station_id": "",
        "area": "production",
    }
    job = SaveJob(owner, "", body, key)
    moment("ctrl+s")
    hand_over(store, job)

    async def keep(method: str, path: str, data: Any, key: str, label: str) -> object:
        outbox.enqueue(
            backend=client.base_url,
            agent_id="1001",
            method=method,
            path=path,
            body=data,
            idempotency_key=key,
            label=label,
        )
        moment("kept")
        return None

    create = client.create_ticket

    async def create_ticket(data: dict[str, Any], key: str) -> object:
        moment("sending")
        ticket = await create(data, key)
        moment("created")
        return ticket

    client.create_ticket = create_ticket  # type: ignore[method-assign]
    outcome = await save(job, client, keep, store)
    moment(f"done {outcome.kind}")
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), *sys.argv[2:6]))
