"""The practice engine: trainee events in, caller lines and hints out. Pure and
deterministic: time comes only from the injected clock, nothing does I/O.

    engine = Engine(scenario, keymap=settings.keys, clock=time.monotonic, language="zh")
    outputs = engine.start()            # the caller's first lines
    outputs = engine.feed(ScreenOpened("lookup"))
    outputs = engine.feed(Tick())       # once a second: stalls, idle hints
    engine.feed(CallEnded())
    debrief = engine.debrief()

Rules:
- Caller lines are revealed in file order. A line comes when the milestone it waits
  `on` has happened, or `after_seconds` after the previous line when the trainee has
  not got there (the caller moves on by themselves).
- Scripted hints fire at most once each, never once their `unless` milestone has
  happened, never before their `after` line. Screen, query and hit hints fire on the
  event (judged on what had happened before it); an idle hint fires when the trainee
  has done nothing for its `seconds`, counted from their last event, the last hint, or
  the caller line it waits `after` (nobody can act on what was not said yet).
- Every event but Tick counts as activity; the keystroke count is the number of
  Keystroke events.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agent_console.keymap import default_keys
from agent_console.practice.debrief import Debrief, build_debrief
from agent_console.practice.engine_io import (
    CallEnded,
    CallerLine,
    Event,
    HandRaised,
    HintShown,
    HitOpened,
    Keystroke,
    MentorHint,
    NoteAdded,
    Output,
    QueryTyped,
    ScreenOpened,
    ScriptSaid,
    SmsSent,
    Tick,
    TicketSaved,
)
from agent_console.practice.keys import action_keys
from agent_console.practice.matching import event_meets, query_kind, said_meets
from agent_console.practice.scenario import START, Hint, Scenario

Clock = Callable[[], float]
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def fill_facts(text: str, facts: Mapping[str, str]) -> str:
    """A caller line with {fact} placeholders filled from the scenario's [facts]."""
    return _PLACEHOLDER.sub(lambda m: facts.get(m.group(1), m.group(0)), text)


def step_label(scenario: Scenario, step: str) -> str:
    """A step as `hand()` reports it ("3:ask_address": caller lines heard, the last
    one's id) the way a mentor reads it: "3/7 · <that line>". A step this scenario
    does not have (another version of its file) is shown as it came."""
    count, _sep, ident = step.partition(":")
    line = next((ln for ln in scenario.lines if ln.id == ident), None)
    if not count.isdigit() or (ident and line is None):
        return step
    heard = f"{count}/{len(scenario.lines)}"
    return f"{heard} · {fill_facts(line.text, scenario.facts)}" if line else heard


@dataclass(frozen=True)
class PracticeState:
    """A snapshot for the screen and for the mentor's view of this trainee."""

    scenario_id: str
    elapsed: float
    step: int  # caller lines revealed so far
    step_id: str  # the id of the last one ("" before the first)
    met: tuple[str, ...]  # milestone ids that happened, in the order they did
    points: int  # rubric points earned so far (forbidden things are judged at the end)
    keystrokes: int
    hints: int
    ended: bool


class Engine:
    def __init__(
        self,
        scenario: Scenario,
        *,
        keymap: Mapping[str, str] | None = None,
        clock: Clock = time.monotonic,
        language: str = "en",
        idle_seconds: float = 20.0,
    ) -> None:
        self.scenario = scenario
        self.keymap = dict(keymap) if keymap else dict(default_keys())
        self.language = language
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._t0: float | None = None
        self._ended_at: float | None = None
        self._met: dict[str, float] = {}  # milestone id -> seconds from start, first time
        self._lines: list[CallerLine] = []
        self._line_at: dict[str, float] = {}
        self._hints: list[HintShown] = []
        self._fired: set[str] = set()
        self._last_activity = 0.0
        self._last_line = 0.0
        self._keystrokes = 0
        self._words: list[str] = []  # scripts said, notes, SMS texts, ticket summaries
        self._hands: list[float] = []
        self._timeline: list[tuple[float, str, str]] = []

    # -- time ----------------------------------------------------------------------
    def _now(self) -> float:
        assert self._t0 is not None
        return max(0.0, self._clock() - self._t0)

    @property
    def started(self) -> bool:
        return self._t0 is not None

    @property
    def ended(self) -> bool:
        return self._ended_at is not None

    # -- the call ------------------------------------------------------------------
    def start(self) -> list[Output]:
        """Answer the call: the clock starts, lines waiting on 'start' come."""
        if self._t0 is not None:
            return []
        self._t0 = self._clock()
        return self._advance(0.0)

    def feed(self, event: Event) -> list[Output]:
        """One trainee event; returns the caller lines and hints it brings, in order."""
        out = self.start() if self._t0 is None else []
        if self.ended:
            return out
        now = self._now()
        if not isinstance(event, Tick):
            self._last_activity = now
        out += self._event_hints(event, now)
        self._record(event, now)
        self._update_milestones(event, now)
        if isinstance(event, MentorHint):
            out += self._mentor_hint(event, now)
        if isinstance(event, CallEnded):
            self._ended_at = now
            return out
        out += self._advance(now)
        return out

    def _record(self, event: Event, now: float) -> None:
        note = ""
        if isinstance(event, Keystroke):
            self._keystrokes += 1
            return
        if isinstance(event, ScreenOpened):
            note = event.screen
        elif isinstance(event, QueryTyped):
            note = f"{event.screen}: {event.text}"
        elif isinstance(event, HitOpened):
            note = f"{event.kind} {event.ref} ({event.match_kind})"
        elif isinstance(event, ScriptSaid):
            self._words.append(event.text)
            note = f"{event.stage}: {event.text}"
        elif isinstance(event, SmsSent):
            self._words.append(event.text)
            note = f"{event.kind} {event.ref}"
        elif isinstance(event, TicketSaved):
            self._words.append(event.summary)
            note = f"{event.category} {event.station} {event.priority} {event.source}"
        elif isinstance(event, NoteAdded):
            self._words.append(event.text)
            note = event.text
        elif isinstance(event, HandRaised):
            self._hands.append(now)
            note = f"step {len(self._lines)}"
        elif isinstance(event, CallEnded):
            note = ""
        else:
            return
        self._timeline.append((round(now, 1), type(event).__name__, note))

    def _update_milestones(self, event: Event, now: float) -> None:
        text_event = isinstance(event, (ScriptSaid, SmsSent, TicketSaved, NoteAdded))
        words: str | None = None  # joined only when a `said` condition needs it
        for m in self.scenario.all_milestones:
            if m.id in self._met:
                continue
            c = m.condition
            if c.kind == "said":
                if not text_event:
                    continue
                words = "\n".join(self._words) if words is None else words
                hit = said_meets(c, words)
            else:
                hit = event_meets(c, event, self.scenario)
            if hit:
                self._met[m.id] = now

    # -- caller lines and hints ----------------------------------------------------
    def _advance(self, now: float) -> list[Output]:
        out: list[Output] = []
        lines = self.scenario.lines
        while len(self._lines) < len(lines):
            line = lines[len(self._lines)]
            due = line.after_seconds is not None and now - self._last_line >= line.after_seconds
            if not (line.on == START or line.on in self._met or due):
                break
            text = fill_facts(line.text, self.scenario.facts)
            shown = CallerLine(line.id, text, round(now, 3), len(self._lines) + 1)
            self._lines.append(shown)
            self._line_at[line.id] = now
            self._timeline.append((round(now, 1), "CallerLine", line.id))
            self._last_line = now
            out.append(shown)
        for hint in self.scenario.hints:
            if hint.on != "idle" or not self._eligible(hint):
                continue
            wait = hint.seconds if hint.seconds is not None else self.idle_seconds
            since = max(self._last_activity, self._line_at.get(hint.after, 0.0))
            if now - since >= wait:
                out.append(self._fire(hint, now))
                break  # one at a time: the next needs another stall
        return out

    def _eligible(self, hint: Hint) -> bool:
        if hint.id in self._fired or (hint.unless and hint.unless in self._met):
            return False
        return not hint.after or hint.after in self._line_at

    def _event_hints(self, event: Event, now: float) -> list[Output]:
        out: list[Output] = []
        for hint in self.scenario.hints:
            if hint.on == "idle" or not self._eligible(hint):
                continue
            if _triggers(hint, event):
                out.append(self._fire(hint, now))
        return out

    def _fire(self, hint: Hint, now: float) -> HintShown:
        self._fired.add(hint.id)
        keys = action_keys(hint.action, self.keymap) if hint.action else ""
        text = hint.text.pick(self.language).replace("{key}", keys or "—")
        return self._show(HintShown(hint.id, text, round(now, 3), "scripted", hint.action, keys))

    def _mentor_hint(self, event: MentorHint, now: float) -> list[Output]:
        """A live hint, shown once even if the stream delivers it twice."""
        key = f"mentor:{event.hint_id}"
        if event.hint_id and key in self._fired:
            return []
        if event.hint_id:
            self._fired.add(key)
        return [self._show(HintShown(event.hint_id, event.text, now, "mentor"))]

    def _show(self, hint: HintShown) -> HintShown:
        self._hints.append(hint)
        self._last_activity = hint.at
        self._timeline.append((round(hint.at, 1), "Hint", hint.id or hint.text))
        return hint

    # -- what the console and the mentor read ----------------------------------------
    @property
    def state(self) -> PracticeState:
        now = self._ended_at if self._ended_at is not None else (self._now() if self._t0 else 0.0)
        met = tuple(sorted(self._met, key=lambda k: self._met[k]))
        points = sum(m.weight for m in self.scenario.rubric if m.id in self._met and not m.forbid)
        return PracticeState(
            scenario_id=self.scenario.id,
            elapsed=round(now, 3),
            step=len(self._lines),
            step_id=self._lines[-1].id if self._lines else "",
            met=met,
            points=points,
            keystrokes=self._keystrokes,
            hints=len(self._hints),
            ended=self.ended,
        )

    @property
    def lines(self) -> tuple[CallerLine, ...]:
        return tuple(self._lines)

    @property
    def hints(self) -> tuple[HintShown, ...]:
        return tuple(self._hints)

    def hand(self) -> dict[str, str]:
        """What a raised hand tells the mentors: the scenario and the step reached."""
        state = self.state
        return {"scenario_id": self.scenario.id, "step": f"{state.step}:{state.step_id}"}

    def debrief(self) -> Debrief:
        """The review of the call; final once CallEnded was fed (before, so far)."""
        state = self.state
        return build_debrief(
            self.scenario,
            met=dict(self._met),
            duration=state.elapsed,
            keystrokes=self._keystrokes,
            hints=tuple(self._hints),
            hands=len(self._hands),
            timeline=tuple(self._timeline),
            keymap=self.keymap,
            language=self.language,
        )


def _triggers(hint: Hint, event: Event) -> bool:
    if hint.on == "screen":
        return isinstance(event, ScreenOpened) and event.screen in hint.screens
    if hint.on == "query":
        return (
            isinstance(event, QueryTyped)
            and (not hint.screens or event.screen in hint.screens)
            and query_kind(event.text) in hint.query
        )
    if hint.on == "hit":
        return (
            isinstance(event, HitOpened)
            and event.kind == hint.hit
            and event.match_kind in hint.match
        )
    return False
