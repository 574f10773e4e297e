"""The console's side of the outbox: kept tickets sent while an agent is signed in,
their count in the status bar, a notice when the backend refuses one.

The storage (agent_console/outbox.py) and the delivery with its backoff, refusals
and one-sender lock (agent_console/outbox_delivery.py) live without Textual
(`agent-console outbox` uses the same code); this only connects them to the App:
its one BackendClient, the status bar, notifications.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from agent_console.i18n import _

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.outbox import Counts, Entry, Outbox
    from agent_console.outbox_delivery import OutboxSender

# agent_console.outbox (and sqlite3) load after the first paint, in _open().


class KeepFailed(Exception):
    """The outbox file could not be written: the agent must not be told "kept"."""


class OutboxService:
    def __init__(self, console: AgentConsole) -> None:
        self.console = console
        self._outbox: Outbox | None = None
        self.sender: OutboxSender | None = None

    def _open(self) -> Outbox:
        if self._outbox is None:
            from agent_console.outbox import Outbox, default_path

            self._outbox = Outbox(self.console.settings.outbox.file or default_path())
        return self._outbox

    @property
    def backend(self) -> str:
        return self.console.client.base_url

    # -- life cycle ------------------------------------------------------------------
    def show_counts(self) -> None:
        """After the first paint: open the file and show what waits from an earlier run."""
        self.console.run_worker(
            self._count(), group="outbox-count", exclusive=True, exit_on_error=False
        )

    async def _count(self) -> None:
        agent = self.console.session.agent
        outbox = await asyncio.to_thread(self._open)
        counts = await asyncio.to_thread(outbox.counts, self.backend, agent.id if agent else None)
        self._show(counts)

    def start(self) -> None:
        """Send the signed-in agent's kept tickets (resumes what a crash left behind)."""
        agent = self.console.session.agent
        if agent is None:
            return
        if self.sender is not None and self.sender.agent_id == agent.id:
            self.sender.wake()
            return
        self.console.run_worker(
            self._run(agent.id), group="outbox", exclusive=True, exit_on_error=False
        )

    async def _run(self, agent_id: str) -> None:
        from agent_console.outbox_delivery import OutboxSender, RetryPolicy

        settings = self.console.settings.outbox
        outbox = await asyncio.to_thread(self._open)
        self.sender = OutboxSender(
            outbox,
            self._send,
            backend=self.backend,
            agent_id=agent_id,
            policy=RetryPolicy(first=settings.first_backoff, cap=settings.max_backoff),
            on_change=self._changed,
        )
        await self.sender.run()

    def wake(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    async def _send(self, entry: Entry) -> object:
        return await self.console.client.request(
            entry.method,
            entry.path,
            json=entry.body,
            headers={"Idempotency-Key": entry.idempotency_key},
        )

    # -- keeping a ticket --------------------------------------------------------------
    async def keep(self, method: str, path: str, body: Any, key: str, label: str) -> Entry:
        """Write the entry to disk (fsync'd) before returning; KeepFailed otherwise."""
        import sqlite3

        agent = self.console.session.agent
        if agent is None:
            raise KeepFailed(_("nobody is signed in"))
        try:
            outbox = await asyncio.to_thread(self._open)
            entry = await asyncio.to_thread(
                lambda: outbox.enqueue(
                    backend=self.backend,
                    agent_id=agent.id,
                    method=method,
                    path=path,
                    body=body,
                    idempotency_key=key,
                    label=label,
                )
            )
            counts = await asyncio.to_thread(outbox.counts, self.backend, agent.id)
        except (sqlite3.Error, OSError) as exc:  # a full or unwritable disk
            raise KeepFailed(str(exc)) from exc
        self._show(counts)
        if self.sender is None:
            self.start()
        else:
            self.sender.wake(now=False)
        return entry

    # -- what the agent sees -----------------------------------------------------------
    def _show(self, counts: Counts) -> None:
        session = self.console.session
        if (session.outbox_waiting, session.outbox_refused) != (counts.waiting, counts.refused):
            session.outbox_waiting, session.outbox_refused = counts.waiting, counts.refused
            self.console.publish_status()

    def _changed(self, counts: Counts, entry: Entry | None, outcome: str, message: str) -> None:
        before = self.console.session.outbox_waiting
        self._show(counts)
        if entry is not None and outcome == "refused":
            self.console.notify(
                _("The backend refused a kept ticket: {label}. {message}").format(
                    label=entry.label, message=message
                ),
                title=_("Ticket not sent"),
                severity="error",
                timeout=30,
                markup=False,
            )
        elif before and not counts.waiting and outcome == "sent":
            self.console.notify(_("Every kept ticket has been sent."), markup=False)
