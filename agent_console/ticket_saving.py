"""Saving a ticket, in an order that survives a crash at any moment. No Textual here.

`hand_over` (Ctrl+S) writes the ticket and its key to disk and deletes the form's
draft; `save` then creates it on the backend, or keeps it in the outbox when the
backend is away, and only then deletes the hand-over. A console killed anywhere in
between leaves the hand-over, which the next console puts in the outbox with the
same key (ticket_draft.recover_handed_over): created exactly once. Saves run one
after the other (SaveQueue), so a second Ctrl+S during a slow save is queued, never
swallowed (issue 20, item 5).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from agent_console.client import BackendClient, BackendError, BackendUnavailable
from agent_console.models import Ticket
from agent_console.ticket_draft import DraftStore, Owner

SAVED, KEPT, REFUSED, UNKEPT = "saved", "kept", "refused", "unkept"


@dataclass
class SaveJob:
    owner: Owner
    call: str
    body: dict[str, Any]
    key: str
    generation: int = 0  # the form's edit count at Ctrl+S: was it touched since?
    handed_over: bool = False


@dataclass
class Outcome:
    job: SaveJob
    kind: str  # SAVED, KEPT, REFUSED (the backend said no), UNKEPT (nowhere: say so)
    ticket: Ticket | None = None
    message: str = ""
    status: int | None = None
    fields: dict[str, str] = field(default_factory=dict[str, str])
    why_kept: str = ""
    code: str = ""  # the backend's error code of a refusal


Keep = Callable[[str, str, dict[str, Any], str, str], Awaitable[object]]


def hand_over(store: DraftStore, job: SaveJob) -> None:
    """Ctrl+S: the ticket on disk before it goes on the wire (OSError: the folder cannot
    be written; the save goes on, without crash protection, and the caller says so)."""
    ticket = {"idempotency_key": job.key, "body": job.body, "label": job.body.get("summary", "")}
    store.hand_over(job.owner, job.call, ticket)
    job.handed_over = True


async def save(
    job: SaveJob, client: BackendClient, keep: Keep, store: DraftStore | None
) -> Outcome:
    """Create the ticket, or keep it in the outbox; then the hand-over goes.

    `keep` raises to say the ticket could not be kept either (its message is shown);
    the hand-over then stays, so a crash still delivers it, and the form keeps the key.
    """
    try:
        ticket = await client.create_ticket(job.body, job.key)
    except BackendUnavailable as exc:
        try:
            await keep("POST", "/tickets", job.body, job.key, str(job.body.get("summary", "")))
        except Exception as kept_exc:  # the outbox could not take it: nothing is cleared
            return Outcome(job, UNKEPT, message=str(kept_exc), why_kept=exc.message)
        _done(store, job)
        return Outcome(job, KEPT, why_kept=exc.message)
    except BackendError as exc:
        _done(store, job)  # not created: the agent fixes it and saves again
        return Outcome(
            job, REFUSED, message=exc.message, status=exc.status, fields=exc.fields, code=exc.code
        )
    _done(store, job)
    return Outcome(job, SAVED, ticket=ticket)


def _done(store: DraftStore | None, job: SaveJob) -> None:
    if store is not None and job.handed_over:
        with contextlib.suppress(OSError):  # left for recovery: sent again with its key
            store.handed_over_done(job.key)


class SaveQueue:
    """Saves one after the other, in the order of the agent's Ctrl+S."""

    def __init__(self, run: Callable[[SaveJob], Awaitable[None]]) -> None:
        self.run = run
        self.jobs: list[SaveJob] = []
        self.busy = False

    def __len__(self) -> int:
        return len(self.jobs) + int(self.busy)

    def add(self, job: SaveJob) -> bool:
        """Queue a save; True when the caller must start `drain` (nothing is running)."""
        self.jobs.append(job)
        if self.busy:
            return False
        self.busy = True
        return True

    async def drain(self) -> None:
        try:
            while self.jobs:
                await self.run(self.jobs.pop(0))
                await asyncio.sleep(0)
        finally:
            self.busy = False
