"""The ticket form's saving: Ctrl+S hands the ticket over, saves run one after the other,
and a finished save shows its outcome and clears the form only if untouched since.

The order of the disk writes and the requests is agent_console/ticket_saving.py's
(no Textual); this connects it to the form, the notifications and the status line.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.widgets import Input

from agent_console.i18n import _
from agent_console.practice.engine_io import TicketSaved
from agent_console.screens.followups import status_label
from agent_console.screens.trouble import report
from agent_console.ticket_draft import new_key
from agent_console.ticket_form import validate
from agent_console.ticket_saving import KEPT, SAVED, UNKEPT, Outcome, SaveJob, SaveQueue, hand_over
from agent_console.ticket_saving import save as save_ticket

if TYPE_CHECKING:
    from agent_console.screens.ticket import TicketScreen


class TicketSaver:
    def __init__(self, form: TicketScreen) -> None:
        self.form = form
        self.saves = SaveQueue(self._run_save)
        self._last_queued = -1  # the form's edit count at the last Ctrl+S
        self.kept_key = ""  # the ticket the "Kept…" line is about

    def save(self) -> None:
        """Ctrl+S: validate, hand the ticket over, queue its save."""
        form = self.form
        owner, _current = form.drafts.current()
        if owner is None:
            return
        if self.saves.busy and form.drafts.generation == self._last_queued:
            form.messages.status(_("saving…") + " " + _("(this ticket is already being saved)"))
            return  # a double Ctrl+S on an unchanged form is one ticket
        form.messages.clear_errors()
        data = form.draft()
        errors, due = validate(data, form.query_one("#ticket-due", Input).value, datetime.now())
        for field, message in errors.items():
            form.messages.field_error(field, message)
        if errors:
            form.messages.status(
                "✗ " + _("Not saved: see the messages above. Nothing was cleared.")
            )
            return
        if due:
            data["callback_due"] = due
        form.drafts.debounce.cancel()
        job = SaveJob(owner, form.drafts.call, data, form.idempotency_key, form.drafts.generation)
        try:
            hand_over(form.console.outbox.drafts, job)
        except OSError as exc:  # saved all the same, without crash protection: said so
            report(form.console, "draft", f"{type(exc).__name__}: {exc}")
        form.idempotency_key = new_key()  # spent: anything typed from now is a new ticket
        self._last_queued = job.generation
        self.kept_key = ""
        if self.saves.add(job):
            self._drain_saves()
        form.messages.status(_("saving…") + self._queued())

    def _queued(self) -> str:
        waiting = len(self.saves) - 1
        return " " + _("({n} more queued)").format(n=waiting) if waiting > 0 else ""

    def _drain_saves(self) -> None:
        self.form.run_worker(self.saves.drain(), group="ticket-save", exit_on_error=False)

    async def _run_save(self, job: SaveJob) -> None:
        form = self.form
        outcome = await save_ticket(
            job,
            form.console.client,
            form.console.outbox.keep,
            form.console.outbox.drafts,
        )
        self._saved(outcome)

    def _saved(self, outcome: Outcome) -> None:
        """What a finished save shows; the form is cleared only if untouched since."""
        form = self.form
        job, data = outcome.job, outcome.job.body
        untouched = job.generation == form.drafts.generation and form.drafts.owner == job.owner
        more = self._queued() if self.saves.jobs else ""
        if outcome.kind == SAVED and outcome.ticket is not None:
            ticket = outcome.ticket
            form.console.record(
                TicketSaved(
                    data["category"],
                    data["station_id"],
                    data["priority"],
                    data["source"],
                    data["summary"],
                )
            )
            form.notify(_("Ticket {id} saved").format(id=ticket.id), markup=False)
            if untouched:
                form._reset()
            text = _("Ticket {id} saved ({status}).").format(
                id=ticket.id, status=status_label(ticket.status)
            )
            form.messages.status(text + more, until_next=True)
        elif outcome.kind == KEPT:
            form.notify(
                _("Backend unreachable: ticket kept on this computer, it will be sent by itself."),
                title=_("Ticket kept"),
                markup=False,
            )
            if untouched:
                form._reset()
            self.kept_key = job.key
            form.messages.status(
                "⇪ "
                + _("Kept: “{summary}” will be sent when the backend is back ({why}).").format(
                    summary=data["summary"], why=outcome.why_kept
                )
                + more,
                until_next=True,
            )
        elif outcome.kind == UNKEPT:
            if untouched:
                form.idempotency_key = job.key  # the same ticket: the same key, created once
                form.drafts.write()
            form.messages.status(
                "✗ "
                + _("Backend unreachable and the ticket could not be kept locally ({why}).").format(
                    why=outcome.message
                )
                + " "
                + _("Nothing was cleared: save again.")
            )
        else:
            self._refused(outcome, untouched)

    def _refused(self, outcome: Outcome, untouched: bool) -> None:
        """The backend said no: explained next to the fields, the form kept as it is."""
        form = self.form
        if untouched and outcome.code == "idempotency_key_reused":
            # A draft kept from before this console's hand-over (e.g. its folder would
            # not let it be deleted): never a form that can no longer be saved.
            form.idempotency_key = new_key()
            form.drafts.write()
            form.messages.status(
                "✗ "
                + _(
                    "This ticket's key was already used for another ticket: check the "
                    "caller's tickets; Ctrl+S again saves this one as a new ticket."
                )
            )
            return
        if untouched:
            form.idempotency_key = outcome.job.key  # not created: the key is still free
            form.drafts.write()  # the hand-over took the draft off the disk: back it goes
            for field, message in outcome.fields.items():
                form.messages.field_error(field, message)
        else:  # the agent has moved on: the ticket stays in the outbox, with the reason
            form.run_worker(self._keep_refused(outcome), group="ticket-refused")
            form.notify(
                _("Ticket “{summary}” was not saved: {why}").format(
                    summary=outcome.job.body.get("summary", ""), why=outcome.message
                ),
                title=_("Not saved"),
                severity="error",
                timeout=30,
                markup=False,
            )
        if outcome.status == 403:  # e.g. a trainee's token writing to production
            refused = _("Refused by the backend (403): {why}").format(why=outcome.message)
            form.messages.status(f"⛔ {refused}")
            form.notify(refused, title=_("Not saved"), severity="error", markup=False)
        else:
            form.messages.status(f"✗ {outcome.message}")

    async def _keep_refused(self, outcome: Outcome) -> None:
        """A refusal the form can no longer show is kept as the outbox's refused entry
        (`✗ 1 refused`, `agent-console outbox`); a 401 waits for the next sign-in."""
        job = outcome.job
        try:
            await self.form.console.outbox.keep(
                "POST",
                "/tickets",
                job.body,
                job.key,
                str(job.body.get("summary", "")),
                refused=None if outcome.status == 401 else (outcome.status, outcome.message),
            )
        except Exception as exc:  # said; the notice above names the ticket
            report(self.form.console, "outbox", f"{type(exc).__name__}: {exc}")

    def kept_sent(self, key: str) -> None:
        """A kept ticket reached the backend: the "Kept…" line has done its job."""
        form = self.form
        if key and key == self.kept_key:
            self.kept_key = ""
            form.messages.status("")
