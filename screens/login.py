"""Sign-in: agent number and password; the token goes to the keyring, never a file."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import Agent
from agent_console.screens.console_access import ConsoleAccess


class LoginScreen(ConsoleAccess, Screen[tuple[str, Agent]]):
    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    #login-box { width: 60; height: auto; border: thick $accent; padding: 1 2; }
    #login-error { color: $error; height: auto; }
    #login-keys { width: 60; color: $text-muted; }
    """
    AUTO_FOCUS = "#login-agent"
    # Enter is a priority binding, handled as the App reads it: the password typed
    # right behind it then lands in the password box. As the Input's own binding it
    # ran only after the keys queued behind it, which went into the agent number
    # (seen at a browser seat, where keys arrive while the console is still busy).
    # Tab is the App's priority binding (agent_console/actions.py, app.next_field).
    # Ctrl+J too: an Enter typed as the console starts, before it has put the terminal
    # in raw mode, is turned into a line feed by the terminal (read as Ctrl+J).
    BINDINGS = [Binding("enter,ctrl+j", "enter", show=False, priority=True)]

    def __init__(self, backend_url: str, reason: str = "") -> None:
        super().__init__()
        self.backend_url = backend_url
        self.reason = reason
        self._up = False  # composed and mounted: its fields can take keys

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(Content(_("Sign in to {url}").format(url=self.backend_url)))
            if self.reason:
                yield Static(Content(self.reason), id="login-reason")
            yield Label(_("Agent number"))
            yield Input(id="login-agent", placeholder=_("for example 1001"))
            yield Label(_("Password"))
            yield Input(id="login-password", password=True)
            yield Static(id="login-error")
        # What the keys do here (no key bar: none of the screen keys works yet).
        yield Static(Content(_("Enter: sign in · Ctrl+Q: quit")), id="login-keys")

    def on_mount(self) -> None:
        # Keys typed while the form was being put up (screens/key_hold.py) go in now.
        self._up = True
        self.console.key_hold.ready()

    def take_keys(self) -> bool:
        """Whether typing can go into the form now: it is up, and a field has focus
        (the first, if none has: the terminal was not focused as it was drawn)."""
        if not self._up:
            return False
        if self.focused is None:
            self.set_focus(self.query_one(self.AUTO_FOCUS or "#login-agent", Input))
        return True

    def action_enter(self) -> None:
        """Agent number: on to the password (focused now, not on a later tick). Password:
        sign in once the box has taken the keys still queued for it."""
        password = self.query_one("#login-password", Input)
        if self.focused is not password:
            self.set_focus(password)
            return
        password.call_later(self._submit)

    def _submit(self) -> None:
        agent_id = self.query_one("#login-agent", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not agent_id or not password:
            # Say which box is empty, and go there: Enter on an empty password is a
            # question ("what now?"), not a sign-in attempt.
            missing = "#login-password" if agent_id else "#login-agent"
            self._error(
                "✗ "
                + (
                    _("Type your password, then Enter.")
                    if agent_id
                    else _("Type your agent number.")
                )
            )
            self.set_focus(self.query_one(missing, Input))
            return
        if refused := self.refusal(agent_id):
            self._error(f"✗ {refused}")
            self.query_one("#login-password", Input).value = ""
            return
        self._error(_("signing in…"))
        self._login(agent_id, password)

    def refusal(self, agent_id: str) -> str:
        """Why this agent number may not sign in here ("" = it may); the lock screen
        keeps the seat for the agent who holds it."""
        return ""

    def signed_in(self, token: str, agent: Agent) -> None:
        self.dismiss((token, agent))

    def _error(self, text: str) -> None:
        self.query_one("#login-error", Static).update(Content(text))

    @work(exclusive=True, group="login", exit_on_error=False)
    async def _login(self, agent_id: str, password: str) -> None:
        try:
            token, agent = await self.console.client.login(agent_id, password)
        except BackendUnavailable as exc:
            self._error(f"✗ {exc.message}")
            return
        except BackendError as exc:
            self._error(f"✗ {exc.message}")
            self.query_one("#login-password", Input).value = ""
            return
        self.signed_in(token, agent)
