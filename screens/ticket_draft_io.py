"""The ticket form's autosave: snapshot the fields, write them debounced, restore them.

Writing happens 0.4 s after the last change (and at once before a save or when the
screen is left), so a crash loses at most the last fraction of a second of typing.
The draft belongs to the signed-in agent on this backend and to the call (or caller)
the form is for (agent_console/ticket_draft.py keeps the files, per console): it is
loaded only after sign-in, and when the agent or the call changes the form puts the
old draft away on disk and shows the new one's. A failed write says so in the status
bar (screens/trouble.py) and clears that as soon as a write works again.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from textual.widgets import Input, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from agent_console.i18n import _
from agent_console.models import Caller
from agent_console.screens.trouble import report
from agent_console.screens.widgets.debounce import Debounce
from agent_console.ticket_draft import (
    DraftStore,
    Owner,
    check_key,
    close_call,
    is_blank,
    new_key,
)

if TYPE_CHECKING:
    from agent_console.screens.ticket import TicketScreen

DELAY_MS = 400
_CALLER_KEYS = ("id", "name", "phone", "address", "compound", "station", "tickets_30d")


class DraftKeeper:
    def __init__(self, screen: TicketScreen) -> None:
        self.form = screen
        self.debounce = Debounce(screen, lambda: DELAY_MS)
        self.pending: dict[str, Any] = {}  # restored choices waiting for their options
        self.restoring = False
        self.owner: Owner | None = None  # whose draft the form holds: None before sign-in
        self.call = ""  # and for which call ("" none)
        self.generation = 0  # edits so far: a save clears the form only if none came since

    @property
    def store(self) -> DraftStore:
        return self.form.console.outbox.drafts

    def current(self) -> tuple[Owner | None, str]:
        """(the signed-in agent on this backend, the call) the form is for now."""
        app = self.form.console
        agent = app.session.agent
        if agent is None:
            return None, ""
        # The seat's call key ("call:<id>", outside a call "caller:<id>", or ""): the
        # same key the call spine closes at wrap-up (agent_console/seat/call.py).
        call_key = app.session.call.key
        return Owner(app.client.base_url, agent.id), call_key

    def sync(self, call: str | None = None) -> None:
        """Show the draft of the agent and call the form is for (after sign-in only).

        `call`: the call key the screen is opened for (the call spine passes it);
        default: the current call's id, else the caller's.
        """
        owner, current = self.current()
        if call is not None:
            current = call
        if owner is None:
            return  # nobody signed in: no draft is shown to anybody
        if self.owner == owner and (not current or current == self.call):
            return
        if self.owner is not None:
            self.flush()  # the other agent's or call's draft stays on disk, for them
            self.form.clear_form()
        self.owner, self.call = owner, current
        self.restore()

    def snapshot(self) -> dict[str, Any]:
        s = self.form
        caller = s.caller()
        station = s.query_one("#ticket-station", Select).value
        return {
            "idempotency_key": s.idempotency_key,
            "summary": s.query_one("#ticket-summary", Input).value,
            "notes": s.query_one("#ticket-notes", TextArea).text,
            "callback_due": s.query_one("#ticket-due", Input).value,
            "category": s.category_id or self.pending.get("category", ""),
            "priority": s.query_one("#ticket-priority", Select).value,
            "source": s.query_one("#ticket-source", Select).value,
            "station_id": station if isinstance(station, str) else self.pending.get("station_id"),
            "caller": {k: v for k, v in asdict(caller).items() if k in _CALLER_KEYS}
            if caller
            else None,
        }

    def blank_draft(self, snap: dict[str, Any]) -> bool:
        return is_blank(snap)

    def end_of_call(self, call: str, *, discard: bool = False) -> bool:
        """Wrap-up of `call` closes its draft (ticket_draft.close_call): True when closed;
        False while it holds unsaved text (ask, then again with discard=True)."""
        owner = self.current()[0]
        if owner is None:
            return True
        if self.owner == owner and self.call == call:
            self.flush()  # what the form shows is what is decided on
            if not is_blank(self.snapshot()) and not discard:
                return False
            self.form.clear_form()
        return close_call(self.store, owner, call, discard=discard)

    def changed(self) -> None:
        if not self.restoring:
            self.generation += 1
            self.debounce.schedule(self.write)

    def _disk(self, what: str, action: Any) -> None:
        """Run a file operation; a failure is said (status bar, log), never swallowed."""
        try:
            action()
        except OSError as exc:
            report(self.form.console, "draft", f"{what}: {type(exc).__name__}: {exc}")
        else:
            report(self.form.console, "draft", None)

    def write(self) -> None:
        owner, call = self.owner, self.call
        if owner is None:
            return
        snap = self.snapshot()
        if self.blank_draft(snap):
            self._disk(_("deleting the draft"), lambda: self.store.clear(owner, call))
        else:
            self._disk(_("saving the draft"), lambda: self.store.save(owner, call, snap))

    def flush(self) -> None:
        if not self.debounce.flush():
            self.write()

    def discard(self) -> None:
        self.debounce.cancel()
        self.pending.clear()
        self.generation += 1
        if self.owner is not None:
            owner, call = self.owner, self.call
            self._disk(_("deleting the draft"), lambda: self.store.clear(owner, call))

    def restore(self) -> None:
        """Put this agent's saved draft for this call back in the form (a draft whose key
        was already handed over is that ticket, and is dropped; see ticket_draft.py)."""
        owner = self.owner
        if owner is None:
            return
        try:
            self.store.adopt_orphans()  # a killed console's drafts: this console's now
            draft = self.store.load(owner, self.call) if self.call else self.store.latest(owner)
        except OSError as exc:
            report(self.form.console, "draft", f"{type(exc).__name__}: {exc}")
            return
        if not draft:
            return
        verdict = check_key(self.store, self.form.console.outbox.opened(), draft)
        if verdict == "drop":
            self._disk(_("deleting the draft"), lambda: self.store.clear(owner, draft["call"]))
            return
        if verdict == "rekey":
            draft["idempotency_key"] = new_key()
        self.call = str(draft.get("call") or "")
        s = self.form
        self.restoring = True
        try:
            s.idempotency_key = str(draft["idempotency_key"])
            s.query_one("#ticket-summary", Input).value = str(draft.get("summary") or "")
            s.query_one("#ticket-notes", TextArea).text = str(draft.get("notes") or "")
            due = str(draft.get("callback_due") or "")
            s.query_one("#ticket-due", Input).value = due
            s.show_due(due)
            for field in ("priority", "source"):
                with contextlib.suppress(InvalidSelectValueError):
                    s.query_one(f"#ticket-{field}", Select).value = draft.get(field)
            caller = draft.get("caller")
            if isinstance(caller, dict) and caller.get("id") is not None:
                s.draft_caller = Caller.from_json(caller)
            self.pending = {k: draft[k] for k in ("category", "station_id") if draft.get(k)}
        finally:
            self.restoring = False
        self.restore_choices()  # what can be set now; the rest as its options arrive
        if verdict == "rekey":
            self.write()
        s.notify(_("Unsaved ticket draft restored"), markup=False)

    def restore_choices(self) -> None:
        """The category and station of a restored draft, each once its options exist
        (they arrive one request apart; one may come while the other never does)."""
        s = self.form
        if s.category_loaded() and (category := self.pending.pop("category", "")):
            s.set_category(category)  # False for a category since retired: left blank
        if s.choices_loaded and (station := self.pending.pop("station_id", "")):
            with contextlib.suppress(InvalidSelectValueError):  # a station since closed
                s.query_one("#ticket-station", Select).value = station
                s.suggested_station = "-"  # the agent's own choice: never replaced
