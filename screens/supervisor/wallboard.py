"""The wallboard (Ctrl+F11, supervisors): every agent's state with how long, the queue,
raised hands and overdue callbacks, live from the `board` events on the console's
event stream. The board loads whole when the screen opens and whenever the stream
comes back (events missed meanwhile are then in it); between, events update it and a
1 s tick redraws the durations: no polling.

Keys: sort by the next column / the other way, filter by hotline, team or state (each
key steps through the values on the board, then back to everyone), Esc clears the
filter; the hands and the overdue callbacks each one key away; Enter on an agent opens
the seat actions (screens/supervisor/seat_actions.py).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult, InvalidModeError
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.keymap import default_keys
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for, key_display
from agent_console.screens.supervisor.board_pane import BoardPane

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.session import SessionState


class WallboardScreen(ConsoleScreen):
    CSS_PATH = "wallboard.tcss"
    BINDINGS = bindings_for("wallboard")
    AUTO_FOCUS = "#board-grid"

    def __init__(self) -> None:
        super().__init__()
        self._stream_live = False

    def compose_body(self) -> ComposeResult:
        yield BoardPane(key_for=self.key_of, id="board")
        yield Static(id="board-status")

    def on_mount(self) -> None:
        console = self.console
        console.event_stream.on("board", self._board_event)
        console.status_signal.subscribe(self, self._status)
        self._stream_live = console.session.events == "live"
        self.say(_("Loading the board…"))
        self.reload()

    def key_of(self, action_id: str) -> str:
        """An action's key in this console's keymap, as printed on the keyboard."""
        keys = self.console.settings.keys.get(action_id) or default_keys().get(action_id, "")
        return key_display(keys)

    def on_screen_resume(self) -> None:
        self.pane().grid().focus()

    def pane(self) -> BoardPane:
        return self.query_one(BoardPane)

    def say(self, text: str) -> None:
        self.query_one("#board-status", Static).update(Content(text))
        self.query_one("#board-status", Static).display = bool(text)

    # -- the board's data ------------------------------------------------------------
    def reload(self) -> None:
        self._load()

    @work(group="wallboard", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        try:
            doc = await self.console.client.wallboard()
        except BackendUnavailable:
            self.say(_("The backend is not reachable; the board shows what it last knew."))
            return
        except BackendError as exc:
            self.say(_("The board could not be loaded: {why}").format(why=exc.message))
            return
        self.say("")
        self.pane().show_document(doc)

    def _board_event(self, data: dict[str, Any]) -> None:
        if self.is_mounted:
            self.pane().apply_event(data)

    def _status(self, session: SessionState) -> None:
        live = session.events == "live"
        if live and not self._stream_live:
            self.reload()  # back after a gap: the whole board, events missed included
        self._stream_live = live

    # -- keys --------------------------------------------------------------------
    def action_sort(self) -> None:
        self.pane().sort_next()

    def action_reverse(self) -> None:
        self.pane().reverse()

    def action_filter(self, what: str) -> None:
        self.pane().cycle_filter(what)

    def action_clear(self) -> None:
        self.pane().clear_filter()

    def action_hands(self) -> None:
        from agent_console.screens.supervisor.board_lists import HandsList

        self.app.push_screen(HandsList(self.pane().board))

    def action_overdue(self) -> None:
        from agent_console.screens.supervisor.board_lists import OverdueList

        self.app.push_screen(OverdueList(self.pane().board))

    def action_seat(self) -> None:
        row = self.pane().selected()
        if row is None:
            return
        from agent_console.screens.supervisor.seat_actions import SeatActionsScreen

        self.app.push_screen(
            SeatActionsScreen(agent_id=row.agent_id, agent_no=row.agent_no, name=row.name)
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the grid (the table's own Enter): the seat actions of that agent."""
        event.stop()
        self.action_seat()


async def open_wallboard(console: AgentConsole) -> None:
    """Show the wallboard, registering its screen the first time (supervisors only:
    the App checks the role)."""
    with contextlib.suppress(InvalidModeError):  # registered when first asked for
        console.add_mode("wallboard", WallboardScreen)
    await console.action_open_screen("wallboard")
