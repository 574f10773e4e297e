"""Caller lookup (F2): type, see hits as you type, Enter opens the first one.

A 114 operator answers a query every 8-10 seconds, so this screen never waits on
the network while the agent types: searches run in an exclusive worker, a response
for an older query is dropped, and an Enter typed before the hits arrive opens the
first hit as soon as they do.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Caller
from screens.base import ConsoleScreen
from screens.keys import bindings_for
from screens.widgets.debounce import Debounce


def match_label(kind: str) -> str:
    return {
        "phone": _("phone"),
        "phone_prefix": _("number start"),
        "phone_suffix": _("last digits"),
        "account": _("account"),
        "name": _("name"),
        "initials": _("initials"),
        "compound": _("compound"),
        "address": _("address"),
    }.get(kind, kind)


def served_label(served: bool | None) -> str:
    if served is None:
        return "?"
    return "✓" if served else _("✗ not served")


class LookupScreen(ConsoleScreen):
    CSS_PATH = "lookup.tcss"
    BINDINGS = bindings_for("lookup")
    TYPING_TARGET = "#lookup-query"
    SELECT_ON_HOTKEY = True
    AUTO_FOCUS = "#lookup-query"

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0  # bumped on every keystroke; only the newest search may render
        self._shown_seq = -1
        self._open_when_ready: int | None = None
        self._debounce = Debounce(self, lambda: self.app.settings.lookup.debounce_ms)  # type: ignore[attr-defined]
        self._hits: list[Caller] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="lookup-body"):
            yield Input(
                placeholder=_("Phone, last 4 digits, account no., name, initials, address"),
                id="lookup-query",
            )
            yield Static(id="lookup-status")
            table: DataTable[Text] = DataTable(
                id="lookup-hits", cursor_type="row", zebra_stripes=True
            )
            table.can_focus = False  # typing stays in the query box; arrows move the cursor
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#lookup-hits", DataTable)
        for label in (
            _("Match"),
            _("Name"),
            _("Phone"),
            _("Account"),
            _("Served"),
            _("Compound / address"),
        ):
            table.add_column(label)

    # -- typing ------------------------------------------------------------------
    @on(Input.Changed, "#lookup-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._seq += 1
        query = event.value.strip()
        if not query:
            self._debounce.cancel()
            self._show([], self._seq, "")
            return
        seq = self._seq
        self._debounce.schedule(lambda: self._search(query, seq))

    @on(Input.Submitted, "#lookup-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        if self._shown_seq == self._seq:
            self.open_selected()
            return
        # The hits for what was typed are not here yet: open the first when they arrive.
        self._open_when_ready = self._seq
        self._debounce.flush()

    @work(exclusive=True, group="lookup-search", exit_on_error=False)
    async def _search(self, query: str, seq: int) -> None:
        status = self.query_one("#lookup-status", Static)
        status.update(Content(_("searching…")))
        client = self.app.client  # type: ignore[attr-defined]
        limit = self.app.settings.lookup.limit  # type: ignore[attr-defined]
        try:
            hits = await client.search_callers(query, limit)
        except BackendUnavailable as exc:
            if seq == self._seq:
                status.update(Content(f"✗ {_('backend unreachable')}: {exc.message}"))
            return
        except BackendError as exc:
            if seq == self._seq:
                status.update(Content(f"✗ {exc.message}"))
            return
        if seq != self._seq:
            return  # an older query answered late: never overwrite newer hits
        self._show(hits, seq, query)
        if self._open_when_ready == seq and hits:
            self._open_when_ready = None
            self.open_selected()

    def _show(self, hits: list[Caller], seq: int, query: str) -> None:
        self._hits = hits
        self._shown_seq = seq
        table = self.query_one("#lookup-hits", DataTable)
        table.clear()
        for hit in hits:
            place = hit.compound or hit.address
            if hit.compound and hit.address:
                place = f"{hit.compound} · {hit.address}"
            table.add_row(
                Text(match_label(hit.match)),
                Text(hit.name),
                Text(hit.phone),
                Text(hit.account_no),
                Text(served_label(hit.served)),
                Text(place),
                key=str(hit.id),
            )
        status = self.query_one("#lookup-status", Static)
        if not query:
            status.update("")
        elif hits:
            status.update(
                Content(_("{n} hits · Enter opens the highlighted one").format(n=len(hits)))
            )
        else:
            status.update(Content(_("no caller found for “{q}”").format(q=query)))

    # -- actions -------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        table = self.query_one("#lookup-hits", DataTable)
        if table.row_count:
            row = max(0, min(table.row_count - 1, table.cursor_row + delta))
            table.move_cursor(row=row)

    def action_clear(self) -> None:
        self.query_one("#lookup-query", Input).value = ""

    def open_selected(self) -> None:
        table = self.query_one("#lookup-hits", DataTable)
        if not self._hits:
            return
        hit = self._hits[min(max(table.cursor_row, 0), len(self._hits) - 1)]
        from screens.caller_card import CallerCardScreen

        self.app.push_screen(CallerCardScreen(hit))
