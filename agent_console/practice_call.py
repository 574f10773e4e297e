"""A practice call as the practice panel shows it: the engine's caller lines and hints
gathered into one view, a scripted hint cleared once what it asked for is done, and a
mentor's hint taken once however often it arrives (events stream, polls).

No Textual: the desk (screens/practice/desk.py) wires this to the App, and it is tested
without a terminal. It lives beside agent_console/practice, not in it: the desk is made
at start-up, and the practice package loads only with a practice call
(tests/test_import_hygiene.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_console.practice.engine import Engine
    from agent_console.practice.engine_io import CallerLine, Event, HintShown, Output
    from agent_console.practice.scenario import Scenario


def _no_lines() -> list[CallerLine]:
    return []


@dataclass
class CallView:
    """What the practice panel shows: the scenario, the caller's latest lines, the hint."""

    scenario: Scenario | None = None
    lines: list[CallerLine] = field(default_factory=_no_lines)
    hint: HintShown | None = None
    step: int = 0
    ended: bool = False
    notice: str = ""  # a one-line status: hand raised, a refusal, no call yet


@dataclass(frozen=True)
class Shown:
    """What the engine's outputs changed, beyond the view itself."""

    new_line: bool = False  # the caller spoke: the call is at another step
    bell: bool = False  # a mentor's hint is on the screen


@dataclass(frozen=True)
class MentorHintIn:
    """A mentor's hint as the backend sent it (`practice_hint`)."""

    id: int
    text: str
    mentor: str


class PracticeCall:
    """The engine of the call on now (None before the first) and its view."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.view = CallView()
        self.last_hint_id = 0  # the newest mentor hint taken

    @property
    def live(self) -> bool:
        return self.engine is not None and not self.engine.ended

    def start(self, engine: Engine) -> Shown:
        """A new call on `engine`: a fresh view, with the caller's first lines."""
        self.engine = engine
        self.view = CallView(scenario=engine.scenario)
        return self.show(engine.start())

    def feed(self, event: Event) -> Shown | None:
        """`event` to the engine of a live call; None when the view did not change."""
        if self.engine is None or self.engine.ended:
            return None
        outputs = self.engine.feed(event)
        if outputs:
            return self.show(outputs)
        return Shown() if self.settle_hint() else None

    def show(self, outputs: list[Output]) -> Shown:
        """The engine's outputs in the view: caller lines appended, the hint replaced."""
        from agent_console.practice.engine_io import CallerLine

        new_line = bell = False
        for out in outputs:
            if isinstance(out, CallerLine):
                self.view.lines.append(out)
                self.view.step = out.step
                new_line = True
            else:
                self.view.hint = out
                bell = bell or out.source == "mentor"
        self.settle_hint()
        return Shown(new_line=new_line, bell=bell)

    def settle_hint(self) -> bool:
        """Clear a scripted hint once what it asked for is done (its `unless`)."""
        hint, engine = self.view.hint, self.engine
        if hint is None or hint.source != "scripted" or engine is None:
            return False
        spec = next((h for h in engine.scenario.hints if h.id == hint.id), None)
        if spec is None or not spec.unless or spec.unless not in engine.state.met:
            return False
        self.view.hint = None
        return True

    def take_mentor_hint(self, data: dict[str, Any]) -> MentorHintIn | None:
        """The hint in a `practice_hint` event, unless it is malformed, empty or was
        taken already (an id at or below the newest taken)."""
        try:
            hint_id = int(data.get("id") or 0)
        except (TypeError, ValueError):
            return None
        text = str(data.get("text") or "")
        if not text or (hint_id and hint_id <= self.last_hint_id):
            return None
        self.last_hint_id = max(self.last_hint_id, hint_id)
        return MentorHintIn(hint_id, text, str(data.get("mentor_name") or ""))

    def mentor_hint(self, hint: MentorHintIn) -> Shown | None:
        """A mentor's hint on the screen: through the engine during a call (it times
        and scores hints), straight into the view between calls."""
        from agent_console.practice.engine_io import HintShown, MentorHint

        if self.live:
            return self.feed(MentorHint(hint.text, str(hint.id)))
        self.view.hint = HintShown(str(hint.id), hint.text, 0.0, "mentor")
        return Shown()
