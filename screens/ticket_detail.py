"""One ticket in the loop: its stage, callback time, notes and who changed what, when;
keys to add a call note, record the callback result and the caller's satisfaction.

The backend decides which moves are legal; a refused one (409) is shown in words.
When the ticket moves elsewhere (a field station reports progress) it redraws itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.due_time import describe_due
from agent_console.i18n import _, labelled, language
from agent_console.models import LoopTicket, TicketEvent
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.followups import status_label
from agent_console.screens.keys import bindings_for
from agent_console.screens.loop_form import LoopForm
from agent_console.ticket_form import local_time, priority_label, source_label
from agent_console.timefmt import note_times

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

YES = ("y", "yes", "是", "1")
NO = ("n", "no", "否", "0")


def event_line(event: TicketEvent, names: dict[str, str] | None = None) -> str:
    """One change in the history; codes the ticket names (its category, its station)
    are shown by name."""
    names = names or {}
    labels = {
        "status": _("Stage"),
        "category": _("Category"),
        "station_id": _("Station"),
        "priority": _("Priority"),
        "note": _("Note"),
        "callback_due": _("Callback due"),
        "satisfaction": _("Satisfaction"),
    }

    def shown(field: str, value: object) -> str:
        if field == "status" and isinstance(value, str):
            return status_label(value)
        return names.get(value, str(value)) if isinstance(value, str) else str(value)

    parts = []
    for field, value in event.change.items():
        label = labels.get(field, field)
        if field == "reassigned" and isinstance(value, dict):  # a supervisor handed it on
            station = value.get("field") == "station_id"
            old, new = (shown("station_id", value.get(k) or "") or "–" for k in ("from", "to"))
            what = _("Reassigned to station") if station else _("Reassigned to agent")
            parts.append(f"{what}: {old} → {new}")
        elif field == "note" and not value:
            continue  # a reassignment without a reason
        elif isinstance(value, list) and len(value) == 2:
            old = shown(field, value[0]) if value[0] else "–"
            parts.append(f"{label}: {old} → {shown(field, value[1])}")
        else:
            parts.append(f"{label}: {shown(field, value)}")
    when = local_time(event.at)
    stamp = when.strftime("%m-%d %H:%M") if when else event.at
    return f"{stamp}  {event.agent_id}  " + "; ".join(parts)


def check_callback(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not values["result"]:
        errors["result"] = _("Say what the caller told you on the callback.")
    if values["fixed"].lower() not in YES + NO:
        errors["fixed"] = (
            _("Type y (fixed) or n (not fixed: back into progress).")
            if values["fixed"]
            else _("Nothing typed yet: y if it is fixed, n if not (back into progress).")
        )
    return errors


def check_satisfaction(values: dict[str, str]) -> dict[str, str]:
    errors = {}
    if values["satisfaction"] not in ("1", "2", "3", "4", "5"):
        errors["satisfaction"] = _("Type the caller's rating, 1 (unhappy) to 5 (very happy).")
    if not values["comment"]:
        errors["comment"] = _("Note in a few words what the caller said.")
    return errors


class TicketDetailScreen(ConsoleScreen):
    CSS_PATH = "ticket_detail.tcss"
    BINDINGS = bindings_for("loopticket")

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.item: LoopTicket | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(
                Content(_("Loading ticket #{id}…").format(id=self.ticket_id)), id="detail-head"
            )
            yield Static(id="detail-body")
            yield Static(Content(_("History")), classes="detail-label")
            yield Static(id="detail-history")
            yield Static(id="detail-status")

    def on_mount(self) -> None:
        self.console.event_stream.ticket_moved.subscribe(self, self._ticket_moved)
        self._load()

    def _ticket_moved(self, ticket_id: int) -> None:
        if ticket_id == self.ticket_id:
            self._load()

    @work(exclusive=True, group="ticket-detail", exit_on_error=False)
    async def _load(self) -> None:
        try:
            item = await self.console.client.loop_ticket(self.ticket_id)
        except (BackendUnavailable, BackendError) as exc:
            self._status(f"✗ {exc.message}")
            return
        self.show(item)

    def show(self, item: LoopTicket) -> None:
        self.item = item
        t = item.ticket
        due = local_time(t.callback_due)
        now = datetime.now()
        head = f"#{t.id} · {status_label(t.status)}"
        if due is not None and t.status != "closed":  # a closed ticket owes no callback
            overdue = due < now
            head += (
                " · "
                + ("⚠ " + _("OVERDUE") + " " if overdue else "")
                + _("callback {when}").format(when=describe_due(due, now))
            )
        self.query_one("#detail-head", Static).update(Content(head))
        lang = language()
        category, station = item.category_name(lang), item.station_name(lang)
        lines = [
            t.summary,
            labelled(_("Caller"), item.caller_line() or "–"),  # a name and a number to call
            " · ".join(
                (
                    labelled(_("Category"), category),
                    labelled(_("Priority"), priority_label(t.priority)),
                    labelled(_("Source"), source_label(t.source)),
                    labelled(_("Station"), station or "–"),
                )
            ),
        ]
        if t.satisfaction is not None:
            lines.append(f"{_('Satisfaction')}: {t.satisfaction}/5 · {item.satisfaction_comment}")
        lines += ["", note_times(t.notes)]
        self.query_one("#detail-body", Static).update(Content("\n".join(lines)))
        names = item.names(lang)
        history = "\n".join(event_line(e, names) for e in item.history)
        self.query_one("#detail-history", Static).update(Content(history))

    def relabel(self, switch: Switch) -> None:
        """The language changed: the ticket is drawn from templates (and names in
        both languages), so draw it again."""
        super().relabel(switch)
        if self.item is not None:
            self.show(self.item)

    def _status(self, text: str) -> None:
        self.query_one("#detail-status", Static).update(Content(text))

    async def _move(self, changes: dict[str, Any]) -> dict[str, str] | None:
        item = await self.console.client.move_ticket(self.ticket_id, changes)
        self.show(item)
        return None

    def _form(
        self, title: str, fields: list[tuple[str, str, str]], submit: Any, check: Any = None
    ) -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self._status("✓ " + _("Saved."))

        self.app.push_screen(LoopForm(title, fields, submit, check), done)

    def action_note(self) -> None:
        async def submit(values: dict[str, str]) -> dict[str, str] | None:
            if not values["note"]:
                return {"note": _("Type the note first.")}
            return await self._move({"note": values["note"]})

        self._form(_("Call note on #{id}").format(id=self.ticket_id),
                   [("note", _("Note"), _("What was said or done"))], submit)  # fmt: skip

    def action_callback(self) -> None:
        async def submit(values: dict[str, str]) -> dict[str, str] | None:
            fixed = values["fixed"].lower() in YES
            prefix = _("Callback (fixed)") if fixed else _("Callback (not fixed)")
            status = "called_back" if fixed else "in_progress"
            return await self._move({"status": status, "note": f"{prefix}: {values['result']}"})

        fields = [
            ("result", _("Callback result"), _("What the caller said")),
            # The hint is a sentence, never a value ("y" in grey read as typed in).
            ("fixed", _("Fixed? y = yes · n = no, back into progress"), _("type y or n")),
        ]
        self._form(_("Callback result for #{id}").format(id=self.ticket_id), fields, submit,
                   check_callback)  # fmt: skip

    def action_close_ticket(self) -> None:
        async def submit(values: dict[str, str]) -> dict[str, str] | None:
            changes = {
                "status": "closed",
                "satisfaction": int(values["satisfaction"]),
                "satisfaction_comment": values["comment"],
            }
            return await self._move(changes)

        fields = [
            ("satisfaction", _("Satisfaction 1-5"), "1 … 5"),
            ("comment", _("Comment"), _("What the caller said about the service")),
        ]
        self._form(_("Satisfaction and close #{id}").format(id=self.ticket_id), fields, submit,
                   check_satisfaction)  # fmt: skip

    def action_reassign(self) -> None:
        """A supervisor hands the ticket to another agent or station (screens/reassign.py)."""
        agent = self.console.session.agent
        if agent is None or agent.role != "supervisor":
            self._status("✗ " + _("Only a supervisor reassigns tickets."))
            return
        from agent_console.screens.reassign import ReassignScreen

        def done(label: str | None) -> None:
            if label:
                self._status("✓ " + _("Reassigned to {target}.").format(target=label))
                self._load()

        self.app.push_screen(ReassignScreen(self.ticket_id), done)

    def action_back(self) -> None:
        self.app.pop_screen()
        screen = self.app.screen
        reload = getattr(screen, "action_reload", None)
        if callable(reload):
            reload()
