"""The seat's outbox service: kept tickets sent while an agent is signed in, their
counts for the status bar, a notice when the backend refuses one.

The storage (agent_console/outbox.py) and the delivery with its backoff, refusals
and one-sender lock (agent_console/outbox_delivery.py) are shared with
`agent-console outbox`; this runs them for the signed-in agent of one seat. It takes
the narrow parts it uses: the client's `request`, the outbox settings, the session
(who is signed in, the counts it shows), and callbacks for the console around it
(run in the background, tell the agent, report a failing part). No Textual here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent_console.i18n import _
from agent_console.seat.ports import Spawn, Tell

if TYPE_CHECKING:
    from agent_console.config import OutboxSettings
    from agent_console.outbox import Counts, Entry, Outbox
    from agent_console.outbox_delivery import OutboxSender
    from agent_console.session import SessionState
    from agent_console.ticket_draft import DraftStore

# agent_console.outbox (and sqlite3) load after the first paint, in _open().


class OutboxClient(Protocol):
    """The part of the BackendClient the outbox uses."""

    @property
    def base_url(self) -> str: ...

    async def request(
        self, method: str, path: str, *, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any: ...


class KeepFailed(Exception):
    """The outbox file could not be written: the agent must not be told "kept"."""


class OutboxService:
    def __init__(
        self,
        client: OutboxClient,
        settings: OutboxSettings,
        session: SessionState,
        *,
        spawn: Spawn,
        tell: Tell,
        publish: Callable[[], None],
        problem: Callable[[str, str | None], None],
    ) -> None:
        self.client = client
        self.settings = settings
        self.session = session
        self.spawn = spawn
        self.tell = tell
        self.publish = publish  # the status bar shows the session's counts again
        self.problem = problem  # ("outbox" or "draft", what is wrong; None: works again)
        self._outbox: Outbox | None = None
        # The count, the sender and a save each open the file from a thread of their own
        # at start: opened twice at once, the two connections' schema set-up collided
        # ("database is locked", the status bar's "outbox failing").
        self._opening = threading.Lock()
        self.sender: OutboxSender | None = None
        # Told the Idempotency-Key of each kept ticket the backend took (the ticket form
        # takes its "Kept…" line away then).
        self.on_sent: list[Callable[[str], None]] = []
        self._drafts: DraftStore | None = None

    @property
    def drafts(self) -> DraftStore:
        """This console's ticket drafts (its slot taken on first use); the module loads
        then, not before the first paint."""
        if self._drafts is None:
            from agent_console.ticket_draft import DraftStore

            self._drafts = DraftStore()
        return self._drafts

    def close(self) -> None:
        """The console ends: its draft slot is free for the next one."""
        if self._drafts is not None:
            self._drafts.close()

    def opened(self) -> Outbox | None:
        """The outbox file if it is open already (never opens it on the UI's loop)."""
        return self._outbox

    def _open(self) -> Outbox:
        with self._opening:
            if self._outbox is None:
                from agent_console.outbox import Outbox, default_path

                self._outbox = Outbox(self.settings.file or default_path())
            return self._outbox

    @property
    def backend(self) -> str:
        return self.client.base_url

    def _agent_id(self) -> str | None:
        agent = self.session.agent
        return agent.id if agent else None

    # -- life cycle ------------------------------------------------------------------
    def show_counts(self) -> None:
        """After the first paint: open the file and show what waits from an earlier run."""
        self.spawn(self.count(), group="outbox-count", exclusive=True)

    async def count(self) -> None:
        import sqlite3

        agent_id = self._agent_id()
        try:
            outbox = await asyncio.to_thread(self._open)
            counts = await asyncio.to_thread(outbox.counts, self.backend, agent_id)
        except (sqlite3.Error, OSError) as exc:
            self.problem("outbox", f"{type(exc).__name__}: {exc}")
            return
        self._show(counts)

    def start(self) -> None:
        """Send the signed-in agent's kept tickets (resumes what a crash left behind)."""
        agent_id = self._agent_id()
        if agent_id is None:
            return
        if self.sender is not None and self.sender.agent_id == agent_id:
            self.sender.wake()
            return
        self.spawn(self.run(agent_id), group="outbox", exclusive=True)

    async def run(self, agent_id: str) -> None:
        """Open the file (an unopenable one is said, and tried again: never the end),
        put in what a crash left behind, then send until cancelled."""
        import sqlite3

        from agent_console.outbox_delivery import OutboxSender, RetryPolicy

        settings = self.settings
        outbox, failures = None, 0
        while outbox is None:
            try:
                outbox = await asyncio.to_thread(self._open)
            except (sqlite3.Error, OSError) as exc:
                failures += 1
                self.problem("outbox", f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(min(settings.max_backoff, 2.0**failures))
        await self._recover(outbox)
        self.sender = OutboxSender(
            outbox,
            self._send,
            backend=self.backend,
            agent_id=agent_id,
            policy=RetryPolicy(first=settings.first_backoff, cap=settings.max_backoff),
            on_change=self._changed,
            on_problem=lambda problem: self.problem("outbox", problem),
        )
        await self.sender.run()

    async def _recover(self, outbox: Outbox) -> None:
        """Tickets a killed console handed over (Ctrl+S) but never saw saved or kept go
        into the outbox now, with their keys (agent_console/ticket_draft.py)."""
        from agent_console.ticket_draft import recover_handed_over

        try:
            keys = await asyncio.to_thread(recover_handed_over, self.drafts, outbox)
        except OSError as exc:
            self.problem("draft", f"{type(exc).__name__}: {exc}")
            return
        if keys:
            logging.getLogger("agent_console.outbox").info(
                "%d ticket(s) saved before a crash put in the outbox", len(keys)
            )

    def wake(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    async def _send(self, entry: Entry) -> object:
        return await self.client.request(
            entry.method,
            entry.path,
            json=entry.body,
            headers={"Idempotency-Key": entry.idempotency_key},
        )

    # -- keeping a ticket --------------------------------------------------------------
    async def keep(
        self,
        method: str,
        path: str,
        body: Any,
        key: str,
        label: str,
        refused: tuple[int | None, str] | None = None,
    ) -> Entry:
        """Write the entry to disk (fsync'd) before returning; KeepFailed otherwise.
        `refused`: (status, reason) of a refusal to keep in sight, not to send."""
        import sqlite3

        from agent_console.outbox import KeyConflict

        signed_in = self._agent_id()
        if signed_in is None:
            raise KeepFailed(_("nobody is signed in"))
        agent_id: str = signed_in  # (for the lambda below)
        try:
            outbox = await asyncio.to_thread(self._open)
            entry = await asyncio.to_thread(
                lambda: outbox.enqueue(
                    backend=self.backend,
                    agent_id=agent_id,
                    method=method,
                    path=path,
                    body=body,
                    idempotency_key=key,
                    label=label,
                )
            )
            if refused is not None:
                status, reason = refused
                await asyncio.to_thread(outbox.refuse, entry.id, status or 0, reason)
            counts = await asyncio.to_thread(outbox.counts, self.backend, agent_id)
        except KeyConflict as exc:  # never "kept" for a ticket the outbox does not hold
            raise KeepFailed(
                _("this ticket's key is already kept for another ticket: {label}").format(
                    label=exc.entry.label
                )
            ) from exc
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
        session = self.session
        shown = (session.outbox_waiting, session.outbox_refused, session.outbox_others)
        if shown != (counts.waiting, counts.refused, counts.others):
            session.outbox_waiting, session.outbox_refused = counts.waiting, counts.refused
            session.outbox_others = counts.others
            self.publish()

    def _changed(self, counts: Counts, entry: Entry | None, outcome: str, message: str) -> None:
        before = self.session.outbox_waiting
        self._show(counts)
        if entry is not None and outcome == "refused":
            self.tell(
                _("The backend refused a kept ticket: {label}. {message}").format(
                    label=entry.label, message=message
                ),
                title=_("Ticket not sent"),
                severity="error",
                timeout=30,
            )
        elif before and not counts.waiting and outcome == "sent":
            self.tell(_("Every kept ticket has been sent."))
        if entry is not None and outcome == "sent":
            for listener in list(self.on_sent):
                listener(entry.idempotency_key)
