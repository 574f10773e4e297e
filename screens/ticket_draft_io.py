"""The ticket form's autosave: snapshot the fields, write them debounced, restore them.

Writing happens 0.4 s after the last change (and at once before a save or when the
screen is left), so a crash loses at most the last fraction of a second of typing.
The file itself is agent_console/ticket_draft.py's job.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from textual.widgets import Input, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from agent_console.i18n import _
from agent_console.models import Caller
from agent_console.ticket_draft import DraftStore
from screens.widgets.debounce import Debounce

if TYPE_CHECKING:
    from screens.ticket import TicketScreen

DELAY_MS = 400
_CALLER_KEYS = ("id", "name", "phone", "address", "compound", "station", "tickets_30d")


class DraftKeeper:
    def __init__(self, screen: TicketScreen, store: DraftStore | None = None) -> None:
        self.form = screen
        self.store = store or DraftStore()
        self.debounce = Debounce(screen, lambda: DELAY_MS)
        self.pending: dict[str, Any] = {}  # restored choices waiting for their options
        self.restoring = False

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
        return not any(snap.get(k) for k in ("summary", "notes", "callback_due", "category"))

    def changed(self) -> None:
        if not self.restoring:
            self.debounce.schedule(self.write)

    def write(self) -> None:
        snap = self.snapshot()
        if self.blank_draft(snap):
            self.store.clear()
        else:
            with contextlib.suppress(OSError):  # a full disk must not stop the agent
                self.store.save(snap)

    def flush(self) -> None:
        if not self.debounce.flush():
            self.write()

    def discard(self) -> None:
        self.debounce.cancel()
        self.pending.clear()
        self.store.clear()

    def restore(self) -> None:
        """Put a saved draft back in the form (before the choices have loaded)."""
        draft = self.store.load()
        if not draft:
            return
        s = self.form
        self.restoring = True
        try:
            s.idempotency_key = str(draft.get("idempotency_key") or s.idempotency_key)
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
        s.notify(_("Unsaved ticket draft restored"), markup=False)

    def restore_choices(self) -> None:
        """The category and station of a restored draft, once their options exist."""
        s = self.form
        category = self.pending.pop("category", "")
        if category:
            s.set_category(category)
        station = self.pending.pop("station_id", "")
        if station:
            with contextlib.suppress(InvalidSelectValueError):
                s.query_one("#ticket-station", Select).value = station
                s.suggested_station = "-"  # the agent's own choice: never replaced
