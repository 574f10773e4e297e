"""The practice desk: what practice mode and mentoring add to the App, in one room.

The App only forwards to it: `app.record(event)` from the screens, every key event,
the practice keys (`app.practice('hand')` ...) and the backend's practice events.
Here an Engine (agent_console/practice, no Textual) plays the scenario; its caller
lines and hints, gathered by agent_console/practice_call.py (no Textual either), are
published on `changed` for the practice panel on every screen.
A 1 s interval feeds it Ticks; time comes from `clock`, which tests replace.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual.app import InvalidModeError
from textual.signal import Signal

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.mentor_hints import MentorHints
from agent_console.practice_call import CallView, PracticeCall, Shown

if TYPE_CHECKING:
    from agent_console.app import AgentConsole
    from agent_console.practice import Debrief, DrillItem, Engine, Event, Output, Scenario

# agent_console.practice (scenarios, engine: ~40 ms of imports) is imported when a
# practice call or the menu needs it, never at the console's start-up.

MENTOR_ROLES = ("mentor", "supervisor")
POLL_EVERY = 5  # ticks between hint polls while the events stream is not live


class PracticeDesk:
    def __init__(self, console: AgentConsole, start: str = "") -> None:
        self.console = console
        self.start_with = start  # a scenario id or "drill", from `agent-console practice`
        self.clock: Callable[[], float] = time.monotonic
        self.call = PracticeCall()
        self.hints = MentorHints(
            self.call, console.client, self._hint_shown, self._is_trainee, self.run
        )
        self.changed: Signal[CallView] = Signal(console, "practice")
        self.room_changed: Signal[str] = Signal(console, "practice-room")
        self.drill: list[DrillItem] = []
        self.drill_id = ""
        # The call on now was assigned from a review: its result is kept for an agent
        # too (the backend links it to the coaching row), not only for a trainee.
        self.assigned_call = False
        self.last_debrief: Debrief | None = None
        self._scenarios: list[Scenario] | None = None
        self._ticks = 0
        self._started_ticker = False

    # -- wiring ----------------------------------------------------------------------
    @property
    def engine(self) -> Engine | None:
        return self.call.engine

    @property
    def view(self) -> CallView:
        return self.call.view

    @property
    def practising(self) -> bool:
        return self.console.session.practice

    def install(self) -> None:
        """Listen to the backend's practice events (before the stream opens)."""
        stream = self.console.event_stream
        stream.on("practice_hint", self.hints.arrived)
        for kind in ("hand_raised", "hand_changed", "practice_activity"):
            stream.on(kind, lambda data, kind=kind: self.room_changed.publish(kind))

    def signed_in(self) -> None:
        """Practice mode: start what the command line asked for, else the menu."""
        agent = self.console.session.agent
        if not self.practising:
            if agent is not None and agent.role == "trainee":
                self.console.notify(
                    _(
                        "Signed in as a trainee outside practice mode: the backend refuses "
                        "your production writes. Start `agent-console practice`."
                    ),
                    title=_("Trainee"),
                    severity="warning",
                    timeout=15,
                    markup=False,
                )
            return
        if self.console.client.practice_callers is None:
            from agent_console.practice.callers import PracticeCallers

            # Lookups in practice find the scenarios' callers, never production's.
            self.console.client.practice_callers = PracticeCallers(self.scenarios())
        if not self._started_ticker:
            self._started_ticker = True
            self.console.set_interval(1.0, self.tick)
        if agent is not None and agent.role != "trainee":
            self.say(
                _("Practice as {role}: results, hands and hints are for trainees only.").format(
                    role=agent.role
                )
            )
        if self.engine is not None:
            return
        wanted, self.start_with = self.start_with, ""
        if wanted and wanted != "drill":
            from agent_console import practice

            try:
                self.start(practice.by_id(self.scenarios(), wanted))
            except KeyError as exc:
                self.console.notify(str(exc.args[0]), severity="error", markup=False)
                self.open_menu()
            return
        self.open_menu(drill=wanted == "drill")

    def scenarios(self) -> list[Scenario]:
        from agent_console import practice

        if self._scenarios is None:
            self._scenarios = practice.load_all(self.console.settings.practice.scenarios or None)
        return self._scenarios

    def run(self, coro: Coroutine[Any, Any, None], group: str) -> None:
        self.console.run_worker(coro, group=group, exclusive=False, exit_on_error=False)

    def say(self, notice: str) -> None:
        self.view.notice = notice
        self.changed.publish(self.view)

    # -- the call ----------------------------------------------------------------------
    def start(self, scenario: Scenario, drill_id: str = "") -> None:
        """Answer a practice call: a fresh engine, a fresh call context, the first lines."""
        from agent_console.practice import Engine

        settings = self.console.settings
        engine = Engine(
            scenario,
            keymap=settings.keys or None,
            clock=self.clock,
            language=i18n.language(),
            idle_seconds=settings.practice.idle_hint_seconds,
        )
        self.drill_id = drill_id
        self.console.session.call.clear()
        self.console.session.call.started = time.monotonic()
        self.console.publish_status()
        self._shown(self.call.start(engine))
        self.changed.publish(self.view)
        self.run(self.hints.catch_up(skip=True), "practice-hints")
        if not self.view.lines:
            self._report_step()

    @property
    def live(self) -> bool:
        return self.call.live

    def key(self, key: str) -> None:
        if self.live:
            from agent_console.practice import Keystroke

            self.record(Keystroke(key))

    def screen_opened(self, name: str) -> None:
        if self.live:
            from agent_console.practice import ScreenOpened

            self.record(ScreenOpened(name))

    def record(self, event: Event) -> None:
        """A trainee event from a screen (or a key); nothing outside a practice call."""
        shown = self.call.feed(event)
        if shown is not None:
            self._shown(shown)

    @property
    def hotline(self) -> str:
        """The practice call's hotline (the scripts screen's phrases follow it)."""
        return self.view.scenario.hotline if self.view.scenario is not None else ""

    def tick(self) -> None:
        """Once a second: a stalling trainee gets hints, a waiting caller goes on; and
        while the events stream is down, mentor hints are fetched instead."""
        if not self.live:
            return
        assert self.engine is not None
        from agent_console.practice import Tick

        outputs = self.engine.feed(Tick())
        if outputs:
            self.show(outputs)
        self._ticks += 1
        if self._ticks % POLL_EVERY == 0 and self.console.session.events != "live":
            self.run(self.hints.catch_up(skip=False), "practice-hints")

    def show(self, outputs: list[Output]) -> None:
        self._shown(self.call.show(outputs))

    def _shown(self, shown: Shown) -> None:
        """The view changed: the panel redraws; a mentor's hint rings; the mentor's
        room hears of the trainee's new step."""
        if shown.bell:
            self.console.bell()
        self.changed.publish(self.view)
        if shown.new_line:
            self._report_step()

    def _report_step(self) -> None:
        if self.engine is None or not self._is_trainee():
            return
        scenario, step = self.engine.scenario, self.engine.hand()["step"]
        title = scenario.title.pick(i18n.language())
        self.run(self._put_activity(scenario.id, title, step), "practice-activity")

    async def _put_activity(self, scenario_id: str, title: str, step: str) -> None:
        # Failing is fine: the mentor's room view refreshes on its own; the call goes on.
        with contextlib.suppress(BackendUnavailable, BackendError):
            await self.console.client.report_practice_activity(scenario_id, title, step)

    def _is_trainee(self) -> bool:
        agent = self.console.session.agent
        return agent is not None and agent.role == "trainee"

    # -- live mentor hints (agent_console/mentor_hints.py) ----------------------------
    def _hint_shown(self, shown: Shown | None, mentor: str) -> None:
        if shown is not None:
            self._shown(shown)
        self.view.notice = _("Hint from {mentor}").format(mentor=mentor) if mentor else ""
        self.changed.publish(self.view)

    # -- the keys ----------------------------------------------------------------------
    async def action(self, what: str) -> None:
        handler = {
            "note": self.note,
            "hand": self.raise_hand,
            "hang_up": self.hang_up,
            "mentor": self.open_mentor,
            "progress": self.open_progress,
        }.get(what)
        if handler is not None:
            await handler()

    async def note(self) -> None:
        """A line for the call notes, from any screen (the caller's answer, a fact)."""
        from agent_console.practice import NoteAdded
        from agent_console.screens.practice.note import CallNoteScreen

        def done(text: str | None) -> None:
            if text:
                self.console.session.call.add_note(text)
                self.record(NoteAdded(text))

        screen = CallNoteScreen()
        await self.console.push_screen(screen, done)
        screen.take_typing()

    async def raise_hand(self) -> None:
        if not self.live:
            self.console.notify(
                _("Raise your hand during a practice call."), severity="warning", markup=False
            )
            return
        assert self.engine is not None
        from agent_console.practice import HandRaised

        where = self.engine.hand()
        self.record(HandRaised())
        self.say(_("✋ Hand raised: waiting for a mentor…"))
        self.run(self._send_hand(where), "practice-hand")

    async def _send_hand(self, where: dict[str, str]) -> None:
        try:
            await self.console.client.raise_hand(**where)
        except BackendUnavailable as exc:
            self.say(
                "✗ " + _("Hand not raised: backend unreachable ({why})").format(why=exc.message)
            )
        except BackendError as exc:
            self.say("✗ " + _("Hand not raised: {why}").format(why=exc.message))

    async def hang_up(self) -> None:
        """End the call: the debrief, stored on the backend for the trainee."""
        if not self.live:
            if self.practising:
                self.open_menu()  # between calls the same key takes the next one
            else:
                self.console.notify(
                    _("No practice call to hang up."), severity="warning", markup=False
                )
            return
        assert self.engine is not None
        from agent_console.practice import CallEnded

        self.engine.feed(CallEnded())
        debrief = self.engine.debrief()
        self.last_debrief = debrief
        self.view.ended = True
        self.view.notice = ""
        self.changed.publish(self.view)
        self.console.session.call.clear()
        self.console.publish_status()
        from agent_console.screens.practice.debrief import DebriefScreen

        screen = DebriefScreen(debrief)
        await self.console.push_screen(screen, self._after_debrief)
        self.run(self._store(screen, debrief), "practice-store")

    async def _store(self, screen: Any, debrief: Debrief) -> None:
        if not (self._is_trainee() or self.assigned_call):
            screen.stored(_("Not stored: only a trainee's practice is kept."), ok=False)
            return
        try:
            result = await self.console.client.submit_practice_result(
                debrief.to_json(drill_id=self.drill_id)
            )
        except BackendUnavailable as exc:
            screen.stored(
                _("Not stored: backend unreachable ({why})").format(why=exc.message), False
            )
            return
        except BackendError as exc:
            screen.stored(_("Not stored: {why}").format(why=exc.message), ok=False)
            return
        screen.stored(_("Stored as result no. {id}.").format(id=result.id), ok=True)
        step = _("ended · score {score}").format(score=debrief.score)
        title = debrief.title
        self.run(self._put_activity(debrief.scenario_id, title, step), "practice-activity")

    def _after_debrief(self, choice: str | None) -> None:
        """Enter: the drill's next call (or the menu); F12: progress; Esc: stay."""
        if choice == "next" and self.drill:
            item = self.drill.pop(0)
            self.start(item.scenario, self.drill_id)
        elif choice == "next":
            self.open_menu()
        elif choice == "progress":
            self.console.call_later(self.open_progress)

    # -- other screens -----------------------------------------------------------------
    def open_menu(self, drill: bool = False) -> None:
        from agent_console.screens.practice.menu import PracticeMenuScreen

        def chosen(pick: tuple[str, list[DrillItem]] | None) -> None:
            if pick is None:
                self.say("")
                return
            kind, items = pick
            if not items:
                return
            self.assigned_call = kind == "assigned"
            self.drill = list(items[1:]) if kind == "drill" else []
            self.drill_id = f"drill-{time.strftime('%Y%m%d-%H%M')}" if kind == "drill" else ""
            self.start(items[0].scenario, self.drill_id)

        self.console.push_screen(PracticeMenuScreen(self.scenarios(), drill), chosen)

    async def open_progress(self) -> None:
        from agent_console.screens.practice.progress import ProgressScreen

        agent = self.console.session.agent
        if agent is None or agent.role != "trainee":
            self.console.notify(
                _("Progress is kept for trainees; mentors compare them on the mentor screen."),
                severity="warning",
                markup=False,
            )
            return
        await self.console.push_screen(ProgressScreen())

    async def open_mentor(self) -> None:
        agent = self.console.session.agent
        if agent is None or agent.role not in MENTOR_ROLES:
            role = agent.role if agent else _("not signed in")
            self.console.notify(
                _("The mentor screen is for mentors and supervisors (you: {role}).").format(
                    role=role
                ),
                title=_("Mentor"),
                severity="error",
                markup=False,
            )
            return
        from agent_console.screens.practice.mentor import MentorScreen

        with contextlib.suppress(InvalidModeError):  # registered when first asked for
            self.console.add_mode("mentor", MentorScreen)
        await self.console.action_open_screen("mentor")
