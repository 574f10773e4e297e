"""The wallboard's two lists one key away: raised hands, and overdue callbacks by
station. A dialog over the board; Esc closes. Names and hand texts are backend text:
cells are rich Text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.i18n import _
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.screens.widgets.key_bar import KeyBar
from agent_console.supervision.board_view import Board, duration, seconds_since, utc_now
from agent_console.timefmt import local


class BoardList(Dialog[None]):
    DEFAULT_CSS = """
    BoardList { align: center middle; }
    #board-list-box { width: 90%; height: 80%; border: thick $accent; background: $surface; }
    #board-list-title { text-style: bold; padding: 0 1; }
    #board-list { height: 1fr; }
    #board-list-empty { padding: 1 1; color: $text-muted; }
    """
    BINDINGS = bindings_for("boardlist")

    def __init__(self, board: Board) -> None:
        super().__init__()
        self.board = board

    def title_text(self) -> str:
        return ""

    def compose(self) -> ComposeResult:
        with Vertical(id="board-list-box"):
            yield Static(Content(self.title_text()), id="board-list-title")
            table: DataTable[Text] = DataTable(id="board-list", cursor_type="row")
            yield table
            yield Static(Content(self.empty_text()), id="board-list-empty")
        yield KeyBar()  # this dialog's keys, not those of the screen beneath

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#board-list", DataTable)
        self.fill(table)
        # Nothing to list: a sentence, not a row of it squeezed into the first column.
        table.display = table.row_count > 0
        self.query_one("#board-list-empty", Static).display = not table.display
        table.focus()

    def empty_text(self) -> str:
        return ""

    def fill(self, table: DataTable[Text]) -> None:
        """The rows (each list its own)."""

    def action_close(self) -> None:
        self.dismiss(None)


class HandsList(BoardList):
    def empty_text(self) -> str:
        return _("No hands raised.")

    def title_text(self) -> str:
        return _("Raised hands ({n}) · Esc closes").format(n=len(self.board.hands))

    def fill(self, table: DataTable[Text]) -> None:
        table.add_columns(_("No."), _("Name"), _("Where"), _("Waiting"), _("Says"))
        now = self.board.server_now(utc_now())
        for hand in sorted(self.board.hands, key=lambda h: h.since or now):
            table.add_row(
                Text(hand.agent_no),
                Text(hand.name),
                Text(hand.place),
                Text(duration(seconds_since(hand.since, now))),
                Text(hand.text),
            )


class OverdueList(BoardList):
    def empty_text(self) -> str:
        return _("No callbacks overdue.")

    def title_text(self) -> str:
        late = sum(o.count for o in self.board.overdue)
        return _("Overdue callbacks ({n}) by station · Esc closes").format(n=late)

    def fill(self, table: DataTable[Text]) -> None:
        table.add_columns(_("Station"), _("Overdue"), _("Oldest due"))
        for item in sorted(self.board.overdue, key=lambda o: -o.count):
            oldest = local(item.oldest_due.isoformat()) if item.oldest_due else ""
            table.add_row(Text(item.station), Text(str(item.count)), Text(oldest))
