"""The wallboard itself, shared by the supervisor's screen and the wall screen: the
queue in big figures, raised hands and overdue callbacks in one line, today's calls
per 15 minutes as a sparkline, and every agent in a grid.

What it shows comes from agent_console/supervision (merging, sorting, filtering,
durations); this module only draws. A `board` event redraws the rows it names (the
whole grid only when the order changes); a 1 s tick redraws the durations, nothing
else. Names, teams, reasons and hand texts are backend text: cells are rich Text,
labels Content, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Digits, Sparkline, Static

from agent_console.i18n import N_, _, ngettext
from agent_console.supervision.board_columns import (
    TICKING,
    Column,
    cell_texts,
    column_width,
    columns_for,
)
from agent_console.supervision.board_view import (
    SORT_KEYS,
    SORT_LABELS,
    STATES,
    AgentRow,
    Board,
    BoardFilter,
    Clock,
    duration,
    offered_series,
    percent,
    state_summary,
    utc_now,
    visible_rows,
)

#: The board's height (rows) from which the sparkline gets more of it (200x60).
TALL = 36

FIGURES: tuple[tuple[str, str], ...] = (
    ("ringing", N_("Ringing")),
    ("wait", N_("Longest wait")),
    ("sl", N_("Service level")),
    ("abandoned", N_("Abandoned")),
)


class QueueStrip(Horizontal):
    """The queue's four figures in big digits, each with its label above."""

    def compose(self) -> ComposeResult:
        for key, label in FIGURES:
            with Vertical(classes="board-figure"):
                yield Static(Content(_(label)), id=f"figure-{key}-label", classes="figure-label")
                yield Digits("0", id=f"figure-{key}")

    def show(self, board: Board, now: datetime) -> None:
        queue = board.queue
        wait = board.longest_wait_s(now)
        self.query_one("#figure-ringing", Digits).update(str(queue.ringing))
        self.query_one("#figure-wait", Digits).update(duration(wait) if wait is not None else "-")
        self.query_one("#figure-sl", Digits).update(percent(queue.service_level))
        self.query_one("#figure-abandoned", Digits).update(str(queue.abandoned_today))
        sl_label = _("Service level {seconds}s").format(seconds=board.service_level_s)
        self.query_one("#figure-sl-label", Static).update(Content(sl_label))


class BoardGrid(DataTable[Text]):
    """The agents grid. Enter is not the table's (its hidden select_cursor hid the
    screen's Enter from the key bar): it goes on to the wallboard's seat actions, in
    order behind the arrows typed before it. A click on a row still selects it."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "select_cursor"


class BoardPane(Vertical):
    """The board: fed whole documents (show_document) and partial events (apply_event)."""

    #: The clock durations count to (tests freeze it: staticmethod(lambda: moment)).
    clock: Clock = staticmethod(utc_now)

    def __init__(
        self,
        *,
        read_only: bool = False,
        key_for: Callable[[str], str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.read_only = read_only  # the wall screen: no cursor, no keys
        self.key_for = key_for  # an action id's key as shown ("Ctrl+D"), for the hints
        self.board = Board()
        self.filter = BoardFilter()
        self.sort_key = "state"
        self.descending = False
        self.columns: tuple[Column, ...] = ()
        self.order: list[str] = []  # the agent ids in the grid, top to bottom

    def compose(self) -> ComposeResult:
        yield Static(id="board-heading")
        yield QueueStrip(id="board-queue")
        yield Static(id="board-extras")
        with Horizontal(id="board-spark-row"):
            yield Static(Content(_("Offered per 15 min")), id="board-spark-label")
            yield Sparkline([], id="board-spark")
        grid = BoardGrid(
            id="board-grid", cursor_type="none" if self.read_only else "row", zebra_stripes=True
        )
        grid.can_focus = not self.read_only
        yield grid

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.redraw_all()
        self.call_after_refresh(self.fit)

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """The sparkline's height and the grid's columns for the board's size now (also
        after the first paint: a terminal's first layout sent the board no Resize)."""
        size = self.size if self.size.width else self.app.size
        self.set_class(size.height >= TALL, "tall")
        if columns_for(size.width) != self.columns:
            self.rebuild_grid()

    # -- what comes in -----------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def show_document(self, doc: Mapping[str, Any]) -> None:
        """A whole board (GET /wallboard): everything drawn again."""
        self.board.load(doc, self.now())
        self.redraw_all()

    def apply_event(self, data: Mapping[str, Any]) -> None:
        """A `board` event: the rows and parts it carries are drawn again."""
        if not self.board.loaded:
            return  # the whole document is on its way; it includes this change
        changed = self.board.merge(data, self.now())
        agents = {c for c in changed if c in self.board.agents}
        if agents:
            self.refresh_rows(agents)
        if "queue" in changed:
            self.redraw_queue()
        if changed & {"hands", "overdue_callbacks"}:
            self.redraw_extras()

    def tick(self) -> None:
        """Once a second: the durations, and the longest wait while calls ring."""
        if not self.board.loaded:
            return
        server_now = self.board.server_now(self.now())
        grid = self.grid()
        for agent_id in self.order:
            row = self.board.agents.get(agent_id)
            if row is None or (row.state_since is None and row.call_started_at is None):
                continue
            texts = cell_texts(row, self.columns, server_now)
            for key in TICKING:
                grid.update_cell(agent_id, key, self._cell(texts[key], key))
        if self.board.queue.ringing:
            self.query_one(QueueStrip).show(self.board, self.now())

    # -- drawing -----------------------------------------------------------------
    def grid(self) -> DataTable[Text]:
        table: DataTable[Text] = self.query_one("#board-grid", DataTable)
        return table

    def redraw_all(self) -> None:
        self.rebuild_grid()
        self.redraw_queue()
        self.redraw_extras()

    def redraw_words(self) -> None:
        """The language changed (screens/language.py): headings, labels and states."""
        for key, label in FIGURES:
            self.query_one(f"#figure-{key}-label", Static).update(Content(_(label)))
        self.query_one("#board-spark-label", Static).update(Content(_("Offered per 15 min")))
        self.redraw_all()

    def redraw_queue(self) -> None:
        self.query_one(QueueStrip).show(self.board, self.now())
        series = offered_series(self.board.queue)
        if len(series) == 1:
            series = [0.0, *series]  # one value alone would be drawn as a full bar
        self.query_one("#board-spark", Sparkline).data = series if any(series) else []

    def redraw_extras(self) -> None:
        """Raised hands and overdue callbacks in one line, with the key to each list."""
        hands = len(self.board.hands)
        late = sum(o.count for o in self.board.overdue)
        stations = len(self.board.overdue)
        hands_text = ngettext("{n} raised hand", "{n} raised hands", hands).format(n=hands)
        late_text = ngettext("{n} callback overdue", "{n} callbacks overdue", late).format(n=late)
        if stations:
            at = ngettext("at {n} station", "at {n} stations", stations).format(n=stations)
            # Chinese joins the two with a comma, English with a space.
            late_text = _("{overdue} {at_stations}").format(overdue=late_text, at_stations=at)
        if self.key_for is not None:
            with_key = _("{text} ({key})")  # Chinese: full-width brackets
            hands_text = with_key.format(text=hands_text, key=self.key_for("wallboard.hands"))
            late_text = with_key.format(text=late_text, key=self.key_for("wallboard.overdue"))
        self.query_one("#board-extras", Static).update(Content(f"✋ {hands_text}   ⏰ {late_text}"))

    def redraw_heading(self) -> None:
        if self.read_only:  # the wall: no sort or filter to speak of, the floor at a glance
            summary = state_summary(self.board)
            self.query_one("#board-heading", Static).update(Content(summary))
            return
        total = len(self.board.agents)
        shown = len(self.order)
        arrow = "▼" if self.descending else "▲"
        parts = [
            _("Sort: {column} {arrow}").format(column=_(SORT_LABELS[self.sort_key]), arrow=arrow),
            _("Filter: {what}").format(what=self.filter.describe() or _("everyone")),
            ngettext("{shown} of {n} agent", "{shown} of {n} agents", total).format(
                shown=shown, n=total
            ),
        ]
        self.query_one("#board-heading", Static).update(Content(" · ".join(parts)))

    def _cell(self, text: str, key: str) -> Text:
        width = column_width(next(c for c in self.columns if c.key == key))
        cell = Text(text, no_wrap=True, overflow="ellipsis")
        cell.truncate(width, overflow="ellipsis")
        return cell

    def _header(self, column: Column) -> Text:
        label = _(column.header)
        if column.key == self.sort_key:
            label += " ▼" if self.descending else " ▲"
        return Text(label, no_wrap=True)

    def rows(self) -> list[AgentRow]:
        return visible_rows(self.board, self.filter, self.sort_key, self.descending, self.now())

    def rebuild_grid(self) -> None:
        """Columns and rows again (a new order, width, sort or language); the cursor
        stays on its agent."""
        grid = self.grid()
        keep = self.selected_id()
        self.columns = columns_for(self.size.width or self.app.size.width)
        grid.clear(columns=True)
        for column in self.columns:
            grid.add_column(self._header(column), width=column_width(column), key=column.key)
        server_now = self.board.server_now(self.now())
        rows = self.rows()
        for row in rows:
            texts = cell_texts(row, self.columns, server_now)
            grid.add_row(*(self._cell(texts[c.key], c.key) for c in self.columns), key=row.agent_id)
        self.order = [r.agent_id for r in rows]
        if keep in self.order:
            grid.move_cursor(row=self.order.index(keep), scroll=True)
        self.redraw_heading()

    def refresh_rows(self, changed: set[str]) -> None:
        """Changed agents: their cells in place if the order holds, else a new grid."""
        rows = self.rows()
        if [r.agent_id for r in rows] != self.order:
            self.rebuild_grid()
            return
        grid = self.grid()
        server_now = self.board.server_now(self.now())
        for row in rows:
            if row.agent_id in changed:
                texts = cell_texts(row, self.columns, server_now)
                for column in self.columns:
                    grid.update_cell(
                        row.agent_id, column.key, self._cell(texts[column.key], column.key)
                    )

    # -- what the keys do ----------------------------------------------------------
    def selected_id(self) -> str | None:
        grid = self.grid()
        if not self.order or not 0 <= grid.cursor_row < len(self.order):
            return None
        return self.order[grid.cursor_row]

    def selected(self) -> AgentRow | None:
        agent_id = self.selected_id()
        return self.board.agents.get(agent_id) if agent_id else None

    def sort_next(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self.rebuild_grid()

    def reverse(self) -> None:
        self.descending = not self.descending
        self.rebuild_grid()

    def cycle_filter(self, what: str) -> None:
        choices = list(STATES) if what == "state" else self.board.choices(what)
        self.filter = self.filter.cycled(what, choices)
        self.rebuild_grid()

    def clear_filter(self) -> None:
        self.filter = BoardFilter()
        self.rebuild_grid()
