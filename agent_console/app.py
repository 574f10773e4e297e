"""The App: the screen registry, global keys, the status bar's state. Nothing else.

Each screen owns its bindings, stylesheet and behaviour in its own module under
screens/; this file only decides which screen a hotkey shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Coroutine, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Textual paints at most 60 times a second, so a key and its hits wait for two frame
# ticks; at 240 the same keystroke paints ~10 ms sooner (bench lookup, console column).
# Frames are only painted when something changed. Must be set before Textual loads.
os.environ.setdefault("TEXTUAL_FPS", "240")

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.signal import Signal

from agent_console import collector, screens
from agent_console.client import BackendClient, BackendUnavailable, Unauthorized
from agent_console.config import Settings
from agent_console.i18n import _
from agent_console.key_edges import esc_then
from agent_console.keymap import default_keys
from agent_console.models import Agent
from agent_console.role_keys import action_allowed
from agent_console.screens import later, lookup
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.dialog import Dialog
from agent_console.screens.event_stream import ConsoleEventStream
from agent_console.screens.idle_lock import LockCover
from agent_console.screens.key_hold import KeyHold
from agent_console.screens.keys import bindings_for
from agent_console.screens.login import LoginScreen
from agent_console.screens.lookup import LookupScreen
from agent_console.screens.practice.desk import PracticeDesk
from agent_console.screens.screen_mounts import ScreenMounts
from agent_console.screens.seat import Seat
from agent_console.screens.themes import register as register_themes
from agent_console.screens.trouble import report, watch_log
from agent_console.seat.floor_messages import FloorDesk
from agent_console.seat.lock import SeatLock, keep_token
from agent_console.seat.outbox_service import OutboxService
from agent_console.seat.pop_policy import PopPolicy
from agent_console.seat.ports import Severity
from agent_console.session import SessionState

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.driver import Driver

    from agent_console.client.first_check import FirstCheck
    from agent_console.practice.engine_io import Event

#: The lookup screen is the first an agent sees; the others are imported when they are
#: mounted in the background after its first paint (screens.later), not at start-up.
HOTKEY_SCREENS: dict[str, str | Callable[[], Screen[Any]]] = {
    "lookup": LookupScreen,
    "scripts": later("agent_console.screens.scripts", "ScriptsScreen"),
    "kb": later("agent_console.screens.kb", "KnowledgeScreen"),
    "ticket": later("agent_console.screens.ticket", "TicketScreen"),
    "directory": later("agent_console.screens.directory", "DirectoryScreen"),
    "followups": later("agent_console.screens.followups", "FollowUpsScreen"),
}

#: Screens for some roles only (actions.py: ActionSpec.roles), made when first opened,
#: never mounted in the background for everyone.
ROLE_SCREENS: dict[str, str | Callable[[], Screen[Any]]] = {
    "reviews": later("agent_console.screens.supervisor.reviews", "ReviewsScreen"),
}

#: Longest wait for a screen mid-mount when a signal ends the console: the whole exit
#: must fit in the seat-exit grace (agent_console/seat_exit.py).
SIGNAL_SETTLE = 0.5

#: App actions refused while the sign-in (or lock) form shows.
SIGNED_IN_ACTIONS = (
    "open_screen",
    "help",
    "seat_state",
    "wrap_up",
    "call_card",
    "practice",
    "command_palette",
    "wallboard",
    "floor_read",
)

#: Actions only a supervisor sees in the key bar and may run.
SUPERVISOR_ACTIONS = ("wallboard",)


class AgentConsole(App[None]):
    TITLE = "agent-console"
    # The lookup screen's sheets too: read with the App's, they are parsed once; read
    # when the screen is first shown, Textual parses every sheet again (~30-60 ms
    # before the first paint).
    # Resolved as Textual resolves a screen's (a path differing by a symlink would be
    # read again).
    CSS_PATH = [
        str((Path(screens.__file__).parent / name).resolve())
        for name in ("console.tcss", *lookup.SHEETS)
    ]
    MODES = HOTKEY_SCREENS | ROLE_SCREENS
    # The console starts in the lookup screen's mode. Started in Textual's "_default"
    # mode and switched at mount, it built a blank default screen, and the switch
    # resumed the lookup screen twice (Textual 8's switch_mode posts a ScreenResume and
    # so does the mode's first set-up): three full restyles and layouts before the
    # first paint, and a second frame a refresh later for the agent's number.
    DEFAULT_MODE = "lookup"
    BINDINGS = bindings_for("app")

    def __init__(
        self,
        settings: Settings,
        client: BackendClient,
        *,
        practice: bool | None = False,
        remember_login: bool = True,
        practice_start: str = "",
        first_check: FirstCheck | None = None,
    ) -> None:
        """`first_check`: the token's check begun before Textual loaded, or the demo's
        sign-in (cli/seat.py). `practice` None: practice if the agent is a trainee."""
        super().__init__()
        self.settings = settings
        self.client = client
        self.first_check = first_check
        self.practice_by_role = practice is None
        self.session = SessionState(practice=bool(practice))
        self.status_signal: Signal[SessionState] = Signal(self, "status")
        self.remember_login = remember_login
        client.on_reachability = self._reachability
        self.event_stream = ConsoleEventStream(self)  # the backend's events (calls...)
        self.seat = Seat(self)  # the call and the agent's state (F8, F10, the call key)
        self.outbox = OutboxService(  # tickets kept while the backend was away
            client,
            settings.outbox,
            self.session,
            spawn=self.spawn,
            tell=self.tell,
            publish=self.publish_status,
            problem=partial(report, self),
        )
        self.desk = PracticeDesk(self, practice_start)  # practice calls and mentoring
        self.desk.install()
        self.lock = SeatLock(  # idle lock; sign in again over any screen on a 401
            self.session,
            client,
            timeout=settings.console.idle_lock_minutes * 60,
            remember_login=remember_login,
            spawn=self.spawn,
            tell=self.tell,
            publish=self.publish_status,
        )
        self.lock.on_unlock += [self.event_stream.start, self.outbox.start]  # go on
        self.floor = FloorDesk(  # the floor's messages and a supervisor's hand on the seat
            client, self.seat.core, spawn=self.spawn, tell=self.tell, lock=self.lock.lock
        )
        self.floor_signal: Signal[None] = Signal(self, "floor")
        self.floor.on_change.append(partial(self.floor_signal.publish, None))
        self.floor.on_ticket.append(self.event_stream.ticket_moved.publish)
        self.floor.follow(self.event_stream)
        self.lock.on_unlock.append(self.floor.load)
        self.lock_cover = LockCover(self, self.lock)  # the lock screen, the cursor kept
        client.on_unauthorized = self.lock.session_ended
        # The other screens, after paint, in the pauses between keys.
        # "Typing" as the pop policy means it, from keys as the terminal reads them.
        self.typed = PopPolicy()
        # The collector, paused for start-up, resumes before the first of them, and
        # leaves all that is built out of its later walks after the last.
        self.mounts = ScreenMounts(
            self,
            HOTKEY_SCREENS,
            typing=self.typed.typing,
            first_pause=self.typed.quiet,
            first=collector.resume,
            last=collector.freeze,
        )
        # The lookup screen is built before on_mount: its status bar says from its first
        # frame who is signing in (not "not signed in" for a frame): the agent whose token
        # the backend has already checked while Textual loaded, else "signing in…".
        if first_check is not None and self._token_coming():
            self.session.agent = first_check.agent_now()
            self.session.signing_in = self.session.agent is None
        self.key_hold = KeyHold(self, self._key)  # keys typed before sign-in is up
        #: Shown once the first screen is painted: a toast (its sheets parsed, mounted,
        #: laid out) before it delayed the screen an agent types into.
        self.first_notices: list[str] = []

    # -- start-up ----------------------------------------------------------------
    def on_mount(self) -> None:
        # Only the keys the user's keymap changes: every Binding is declared with the
        # default keys (screens/keys.py), and Textual applies its keymap to each node's
        # bindings whenever it walks the binding chain (every key, the key bar), each
        # entry against each binding: the whole keymap cost ~5 ms before the first paint.
        defaults = default_keys()
        changed = {k: v for k, v in self.settings.keys.items() if defaults.get(k) != v}
        if changed:
            self.set_keymap(changed)
        register_themes(self)
        if self.settings.console.theme in self.available_themes:
            self.theme = self.settings.console.theme
        checked = self._first_agent_now()
        if checked is not None:
            # The backend answered while Textual loaded: the agent is on the first paint.
            self._show_agent(checked)
        elif not self._token_coming():
            # On top before any key is read: a key read after the first paint went
            # into the lookup screen's search box, not the agent number.
            self._ask_login("")
        else:
            self.session.signing_in = True  # the check's answer comes after the paint
        # Paint the lookup screen first; the backend check (or its answer, awaited), the
        # seat's services and then the other screens come after the first paint.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self.mounts.quitting or not self.is_running:
            return  # quit before the first paint (now the agent may be on it at once)
        token_coming = self._token_coming()
        if self.session.agent is not None:
            self._start_services()
        elif token_coming:
            self._verify_token()
        self._check_health()
        self.set_interval(self.settings.backend.health_interval, self._check_health)
        watch_log(self)  # from now on, say when the log file cannot be written
        for notice in self.first_notices:
            self.tell(notice, timeout=12)
        if collector.paused():  # (else resumed before the background mounts)
            self.set_timer(collector.RESUME_LATEST, collector.resume)
        self.outbox.show_counts()
        self.lock_cover.install()
        if self.session.agent is not None or not token_coming:
            self.mounts.begin()
        # else once the token's check has answered (_verify_token): the background
        # mounts hold the loop for tens of ms each and would delay the agent's number.

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Quit once no screen is mid-mount: one composed after exit() gets no children
        (screens/screen_mounts.py). Ctrl+Q, the signals and Pilot all come here."""
        self.mounts.quit(partial(super().exit, result, return_code, message))

    def leave_seat(self, signum: int) -> None:
        """A signal (the terminal closed, SIGTERM, SIGINT): exit without asking, waiting
        for a screen mid-mount only as long as the seat-exit deadline allows."""
        from agent_console.seat_exit import exit_code

        exit_now = partial(super().exit, None, exit_code(signum))
        self.mounts.quit(exit_now, timeout=SIGNAL_SETTLE)

    def get_driver_class(self) -> type[Driver]:
        """Textual's Linux driver, made safe for a terminal that goes away (hang-up)."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":
            from agent_console.terminal_driver import SeatDriver

            return SeatDriver
        return driver

    async def _shutdown(self) -> None:
        # Pilot shuts the app down without exit(): the same wait, before Textual prunes.
        self.mounts.quitting = True
        await self.mounts.settled()
        await super()._shutdown()

    async def on_unmount(self) -> None:
        self.outbox.close()
        await self.client.aclose()

    # -- what the seat's services ask of the App (agent_console/seat/ports.py) ---
    def spawn(
        self, work: Coroutine[Any, Any, object], *, group: str, exclusive: bool = False
    ) -> None:
        """A service's network work, in a worker: its errors are its own, never the end."""
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    def tell(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
    ) -> None:
        """A service's notice: backend and caller text is text, never markup."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- status ------------------------------------------------------------------
    def publish_status(self) -> None:
        self.status_signal.publish(self.session)

    def _reachability(self, ok: bool) -> None:
        if self.session.backend_ok is not ok:
            self.session.backend_ok = ok
            self.publish_status()
            if ok:
                self.outbox.wake()  # send what was kept while it was away
                self.seat.resend()

    @work(group="health", exclusive=True, exit_on_error=False)
    async def _check_health(self) -> None:
        with contextlib.suppress(BackendUnavailable):  # the client reports reachability
            await self.client.health()

    # -- signing in --------------------------------------------------------------
    @work(group="verify", exclusive=True, exit_on_error=False)
    async def _verify_token(self) -> None:
        # The first check's answer once (begun before Textual loaded), then the client's.
        first, self.first_check = self.first_check, None
        try:
            agent = (await first.agent()) if first is not None else None
            if first is not None and first.signs_in:
                self._take_token(first)
            if agent is None:
                agent = await self.client.me()
        except Unauthorized:
            self._ask_login(_("Your session has ended; sign in again."))
        except BackendUnavailable:
            # Keep the console usable; try again when the backend may be back.
            self.set_timer(self.settings.backend.health_interval, self._verify_token)
        except Exception:
            if first is None or not first.signs_in:
                raise
            self.exit(return_code=1)  # the demo's backend did not come up: it says why
        else:
            self._signed_in(agent)
        finally:
            self.mounts.begin()

    def _ask_login(self, reason: str) -> None:
        self.session.signing_in = False
        self.publish_status()

        def done(result: tuple[str, Agent] | None) -> None:
            if result is None:
                return
            token, agent = result
            keep_token(self.client, token, remember=self.remember_login, tell=self.tell)
            self._signed_in(agent)

        self.push_screen(LoginScreen(self.client.base_url, reason), done)

    def _signed_in(self, agent: Agent) -> None:
        self._show_agent(agent)
        self._start_services()

    def _first_agent_now(self) -> Agent | None:
        """The first check's agent if its answer is in (a sign-in's token taken with it)."""
        first = self.first_check
        if first is None or not self._token_coming():
            return None
        agent = first.agent_now()
        if agent is not None and first.signs_in:
            self._take_token(first)
        return agent

    def _token_coming(self) -> bool:
        """A token to check, or one the first check's sign-in will give."""
        return bool(self.client.token) or (
            self.first_check is not None and self.first_check.signs_in
        )

    def _take_token(self, first: FirstCheck) -> None:
        token = first.token()  # (set before the agent: never waits)
        if token:
            keep_token(self.client, token, remember=self.remember_login, tell=self.tell)

    def _enter_practice(self) -> None:
        """The demo's trainee practises: known only once the sign-in answers, maybe
        after the first screen was drawn without the practice panel."""
        self.session.practice = True
        for screen in self.screen_stack:
            if isinstance(screen, ConsoleScreen):
                screen.show_practice_panel()

    def _show_agent(self, agent: Agent) -> None:
        logging.getLogger("agent_console").info("signed in as %s (%s)", agent.id, agent.role)
        if self.practice_by_role and agent.is_trainee and not self.session.practice:
            self._enter_practice()
        self.session.agent = agent
        self.session.signing_in = False
        self.publish_status()
        screen = self.screen
        if isinstance(screen, ConsoleScreen) and screen.is_mounted:  # (else on its resume)
            screen.take_typing()

    def _start_services(self) -> None:
        """What a signed-in seat runs: the event stream, the outbox, practice."""
        self.event_stream.start()
        self.outbox.start()
        self.floor.load()
        # A call the backend still has this agent on is theirs again (F10 ends it).
        self.spawn(self.seat.service.rejoin(), group="seat-rejoin", exclusive=True)
        self.desk.signed_in()
        self.refresh_bindings()  # the supervisor's keys show (check_action)

    # -- practice ----------------------------------------------------------------
    def record(self, event: Event) -> None:
        """Screens tell practice what the trainee did; nothing happens outside a call."""
        self.desk.record(event)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
        elif not self.key_hold.keep(event):  # kept while the sign-in form is not up
            await self._key(event)

    def key_read(self) -> None:
        """A key was read from the terminal (called on its input thread, before the key
        is handled): the agent is typing, so no background mount starts now."""
        self.typed.key()

    async def _key(self, event: events.Key) -> None:
        """A key read from the terminal (not one bubbling back up from a widget)."""
        # (active_bindings walks the focus chain: only for the rare Alt+X, not per key)
        after = (
            esc_then(event.key, event.character, self.screen.active_bindings)
            if event.key[:4] == "alt+"
            else None
        )
        if after is not None:  # Esc, then a key typed at once (key_edges.py)
            for key, char in (("escape", "\x1b"), (after, event.character)):
                split = events.Key(key, char)
                split.set_sender(self)
                await self._key(split)
            return
        if self.lock.key():
            self.seat.policy.key()  # a call that rings now is announced, not popped
            self.desk.key(event.key)  # every key the trainee presses counts
        await super().on_event(event)

    async def action_practice(self, what: str) -> None:
        await self.desk.action(what)

    # -- keys --------------------------------------------------------------------
    def on_app_focus(self) -> None:
        """The browser seat blurs the app until the agent clicks into the page; Textual
        then restores focus only to a widget of the screen that was blurred, so a screen
        shown meanwhile (the sign-in) would have nothing focused and lose the first keys."""
        screen = self.screen
        if screen.focused is not None:
            return
        if isinstance(screen, ConsoleScreen):
            screen.take_typing()
        elif screen.AUTO_FOCUS and (targets := screen.query(screen.AUTO_FOCUS)):
            screen.set_focus(targets.first())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing but the sign-in form until the agent has signed in, or while the
        # seat is locked (the lock screen is a sign-in form too).
        if action in SUPERVISOR_ACTIONS and not self._is_supervisor():
            return False  # not shown in the key bar, not run
        if action in SIGNED_IN_ACTIONS and isinstance(self.screen, LoginScreen):
            return False
        agent = self.session.agent
        return action_allowed("app", action, parameters, agent.role if agent else None)

    def _is_supervisor(self) -> bool:
        agent = self.session.agent
        return agent is not None and agent.role == "supervisor"

    async def action_wallboard(self) -> None:
        """The wallboard (screens/supervisor/wallboard.py), made the first time it opens."""
        if self._is_supervisor():
            from agent_console.screens.supervisor.wallboard import open_wallboard

            await open_wallboard(self)

    async def action_open_screen(self, name: str) -> None:
        """Show a hotkey screen's base, focused for typing, before the next key is read.

        This is a priority binding and the handler awaits the mount, so the App reads
        no further key until the new screen's input has focus: type-ahead is never lost.
        """
        if isinstance(self.screen, Dialog) and self.screen.answer_required:
            self.bell()  # its answer goes on record: answered first (screens/dialog.py)
            return
        if self.current_mode != name:
            await self.switch_mode(name)
        self.desk.screen_opened(name)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        screen = self.screen
        if not screen.is_mounted:
            # Still mounting in the background. (Textual's private event, untyped there.)
            mounted: asyncio.Event = getattr(screen, "_mounted_event")  # noqa: B009
            await mounted.wait()
        if isinstance(screen, ConsoleScreen):
            screen.take_typing(select=screen.SELECT_ON_HOTKEY)

    async def action_quit(self) -> None:
        """Ctrl+Q: at once on an idle seat, else after a question
        (screens/quit_question.py). Signals never ask (leave_seat)."""
        from agent_console.screens.quit_question import quit_or_ask

        quit_or_ask(self, self.session)

    def action_floor_read(self) -> None:
        """The floor message on the strip is read: the next one shows, if any."""
        if not self.floor.mark_read():
            self.tell(_("No floor message to mark read."))

    def action_seat_state(self) -> None:
        self.seat.pick_state()

    def action_wrap_up(self) -> None:
        """The hang-up key: in practice it ends the practice call (the debrief)."""
        if self.desk.practising:
            self.run_worker(self.desk.action("hang_up"), group="practice", exit_on_error=False)
            return
        self.seat.wrap_up()

    def action_call_card(self) -> None:
        """The call key: take a ringing call; from any screen, back to the call's card."""
        self.seat.pop.call_key_pressed()

    def action_language(self) -> None:
        """中文 <-> English, on every screen, keeping what is on them (screens/language.py)."""
        from agent_console.screens.language import switch_language

        switch_language(self)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual types the parameter as a bare Screen (Screen[Unknown] to pyright).
        yield from super().get_system_commands(screen)  # pyright: ignore[reportUnknownMemberType]
        yield SystemCommand(
            "Language / 语言: 中文 ⇄ English",
            _("Switch the console between Chinese and English"),
            self.action_language,
        )

    def action_help(self) -> None:
        from agent_console.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.desk.screen_opened("help")
            agent = self.session.agent
            self.push_screen(HelpScreen(self.settings.keys, agent.role if agent else None))
