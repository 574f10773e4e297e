"""`agent-console wallboard`: the board alone, read-only, for a screen on the wall.

A small App of its own (not the agent's console): the queue in big digits and the
agents grid, live from the `board` events, paging through the grid by itself when it
is longer than the screen. It signs in with a wall account (role `wall`, which the
backend lets read the board and nothing else), and offers no action at all: no
sort, no filter, no seat actions, no other screen; Ctrl+Q ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from agent_console.client import BackendError, BackendUnavailable, Unauthorized
from agent_console.i18n import N_, _
from agent_console.screens.supervisor.board_pane import BoardPane
from agent_console.seat.event_stream import EventStream
from agent_console.session import SessionState

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from textual.driver import Driver

    from agent_console.client import BackendClient
    from agent_console.config import Settings
    from agent_console.models import Agent

#: The one role this board signs in with.
WALL_ROLE = "wall"
#: Seconds between two pages of the grid when it is longer than the screen.
PAGE_SECONDS = 10.0


class WallSignIn(Screen[tuple[str, "Agent"]]):
    """The wall account's number and password; any other role is refused here."""

    DEFAULT_CSS = """
    WallSignIn { align: center middle; }
    #wall-login { width: 60; height: auto; border: thick $accent; padding: 1 2; }
    #wall-login-error { color: $error; height: auto; }
    #wall-login-hint { color: $text-muted; margin: 1 0 0 0; }
    """
    AUTO_FOCUS = "#wall-agent"
    BINDINGS = [Binding("enter", "enter", show=False, priority=True)]

    def __init__(self, client: BackendClient, reason: str = "") -> None:
        super().__init__()
        self.client = client
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="wall-login"):
            yield Static(Content(_("Wallboard: sign in with a wall account")))
            yield Static(Content(self.reason), id="wall-login-error")
            yield Label(_("Agent number"))
            yield Input(id="wall-agent")
            yield Label(_("Password"))
            yield Input(id="wall-password", password=True)
            hint = _("Enter: next field / sign in · Ctrl+Q: quit")
            yield Static(Content(hint), id="wall-login-hint")

    def action_enter(self) -> None:
        password = self.query_one("#wall-password", Input)
        agent = self.query_one("#wall-agent", Input)
        if self.focused is not password:
            self.set_focus(password)
            return
        agent_no = agent.value.strip()
        if not agent_no:
            self.say(_("✗ Type the wall account's number first."))
            self.set_focus(agent)
        elif not password.value:
            self.say(_("✗ Type the password, then Enter."))
        else:
            self._login(agent_no, password.value)

    def say(self, text: str) -> None:
        self.query_one("#wall-login-error", Static).update(Content(text))

    @work(exclusive=True, group="wall-login", exit_on_error=False)
    async def _login(self, agent_no: str, password: str) -> None:
        self.say(_("signing in…"))
        try:
            token, agent = await self.client.login(agent_no, password)
        except (BackendUnavailable, BackendError) as exc:
            self.say(sign_in_refusal(exc))
            return
        if agent.role != WALL_ROLE:
            self.say(wall_only(agent.role))
            self.query_one("#wall-password", Input).value = ""
            return
        self.dismiss((token, agent))


def sign_in_refusal(exc: BackendUnavailable | BackendError) -> str:
    """Why the sign-in failed, in the board's language (the backend's and the client's
    own messages are English): unreachable, a wrong password, too many tries."""
    if isinstance(exc, BackendUnavailable):
        return _("✗ The backend is not reachable; check the network, then Enter again.")
    if exc.status == 401:
        return _("✗ Wrong agent number or password.")
    if exc.status == 429:
        return _("✗ Too many attempts: wait a minute, then try again.")
    return f"✗ {exc.message}"


#: The roles as the refusal names them (the backend's role names are English words).
ROLE_NAMES = {
    "agent": N_("an agent's account"),
    "trainee": N_("a trainee's account"),
    "mentor": N_("a mentor's account"),
    "supervisor": N_("a supervisor's account"),
    "station": N_("a field station's account"),
}


def wall_only(role: str) -> str:
    """The refusal of any account that is not a wall account, its role in words."""
    name = _(ROLE_NAMES[role]) if role in ROLE_NAMES else role
    return _("✗ The wallboard signs in with a wall account only (this one: {role}).").format(
        role=name
    )


class WallScreen(Screen[None]):
    """The board, nothing to press: the grid pages by itself."""

    DEFAULT_CSS = """
    #wall-title { height: 1; padding: 0 1; background: $accent; color: $text;
                  text-style: bold; }
    #wall-status { height: auto; padding: 0 1; color: $warning; }
    """
    CSS_PATH = "wallboard.tcss"

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Wallboard")), id="wall-title")
        yield BoardPane(read_only=True, id="board")
        yield Static(id="wall-status")

    def on_mount(self) -> None:
        self.set_interval(PAGE_SECONDS, self.next_page)

    def next_page(self) -> None:
        """Scroll the grid a page on, back to the top after the last (not under the
        sign-in: the board starts at its first page)."""
        if not self.is_current:
            return
        grid = self.query_one(BoardPane).grid()
        if grid.scroll_y >= grid.max_scroll_y:
            grid.scroll_to(y=0, animate=False)
        else:
            grid.scroll_page_down(animate=False)

    def say(self, text: str) -> None:
        self.query_one("#wall-status", Static).update(Content(text))


class WallApp(App[None]):
    """The wall screen's own App: a sign-in, then the board, live."""

    TITLE = "agent-console wallboard"
    BINDINGS = [Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, settings: Settings, client: BackendClient) -> None:
        super().__init__()
        self.settings = settings
        self.client = client
        self.session = SessionState()
        self.stream = EventStream(
            client, settings.events, self.session, spawn=self.spawn, publish=self._stream_state
        )
        self.stream.on("board", self._board_event)
        self._live = False

    def get_driver_class(self) -> type[Driver]:
        """The console's driver, safe for a terminal that goes away (hang-up)."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":
            from agent_console.terminal_driver import SeatDriver

            return SeatDriver
        return driver

    def spawn(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        """The event stream's work, in a worker: its errors are its own."""
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    def on_mount(self) -> None:
        self.push_screen(WallScreen())
        if self.client.token:
            self._check_token()
        else:
            self._ask()

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def _ask(self, reason: str = "") -> None:
        def done(result: tuple[str, Agent] | None) -> None:
            if result is not None:
                self.client.token = result[0]
                self._start()

        self.push_screen(WallSignIn(self.client, reason), done)

    @work(group="wall-me", exclusive=True, exit_on_error=False)
    async def _check_token(self) -> None:
        try:
            agent = await self.client.me()
        except Unauthorized:
            self._ask(_("The session has ended; sign in again."))
            return
        except (BackendUnavailable, BackendError) as exc:
            self._say(exc.message)
            self.set_timer(self.settings.backend.health_interval, self._check_token)
            return
        if agent.role != WALL_ROLE:
            self.client.token = None
            self._ask(wall_only(agent.role))
            return
        self._start()

    def _start(self) -> None:
        self.stream.start()
        self._load()

    def _wall(self) -> WallScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, WallScreen):
                return screen
        return None

    def _say(self, text: str) -> None:
        wall = self._wall()
        if wall is not None:
            wall.say(text)

    @work(group="wall-board", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        try:
            doc = await self.client.wallboard()
        except Unauthorized:
            self._ask(_("The session has ended; sign in again."))
            return
        except (BackendUnavailable, BackendError) as exc:
            self._say(_("The board could not be loaded: {why}").format(why=exc.message))
            return
        wall = self._wall()
        if wall is not None:
            wall.say("")
            wall.query_one(BoardPane).show_document(doc)

    def _board_event(self, data: dict[str, Any]) -> None:
        wall = self._wall()
        if wall is not None and wall.is_mounted:
            wall.query_one(BoardPane).apply_event(data)

    def _stream_state(self) -> None:
        live = self.session.events == "live"
        if live and not self._live:
            self._load()  # back after a gap: the whole board
        self._live = live
