"""Walking a guided script: one answer per step, undo, and the ticket it leads to.

No Textual: the Guide screen shows the walk, this module decides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_console.models import Guide, GuideChoice, GuideStep
from agent_console.seat.call import TicketPrefill

#: One step walked: the step and the choice the caller's answer took.
Answer = tuple[GuideStep, GuideChoice]


class GuideBroken(ValueError):
    """The guide's data leads to a step that does not exist."""


@dataclass
class GuideWalk:
    guide: Guide
    answers: list[Answer] = field(default_factory=list[Answer])

    def __post_init__(self) -> None:
        if self.guide.step(self.guide.start) is None:
            raise GuideBroken(f"guide {self.guide.slug!r} has no start step {self.guide.start!r}")

    @property
    def current(self) -> GuideStep:
        if not self.answers:
            step = self.guide.step(self.guide.start)
        else:
            step = self.guide.step(self.answers[-1][1].next)
        if step is None:
            raise GuideBroken(f"guide {self.guide.slug!r} leads to a missing step")
        return step

    @property
    def finished(self) -> bool:
        return self.current.is_end

    def choose(self, index: int) -> GuideStep:
        """Answer the current step with its choice number `index` (0-based)."""
        step = self.current
        if not 0 <= index < len(step.choices):
            raise IndexError(index)
        choice = step.choices[index]
        if self.guide.step(choice.next) is None:
            raise GuideBroken(f"choice {choice.label!r} leads to missing step {choice.next!r}")
        self.answers.append((step, choice))
        return self.current

    def undo(self) -> bool:
        """Take back the last answer (a wrong key); False at the first step."""
        if not self.answers:
            return False
        self.answers.pop()
        return True

    def learned(self) -> list[str]:
        return [choice.note or choice.label for _step, choice in self.answers]

    def prefill(self) -> TicketPrefill:
        """The ticket as far as the walk has got: the end step's summary, priority and
        category when it has ended, the guide's own otherwise; notes are what was learned."""
        end = self.current if self.finished else None
        learned = self.learned()
        summary = (end.summary if end else "") or self.guide.summary
        if not (end and end.summary) and learned:
            sep = "：" if self.guide.language == "zh" else ": "
            summary = f"{summary}{sep}{learned[-1]}" if summary else learned[-1]
        return TicketPrefill(
            category=(end.category if end else "") or self.guide.category,
            priority=(end.priority if end else "") or self.guide.priority,
            summary=summary,
            notes=(f"[{self.guide.title}]", *learned),
            source=self.guide.title,
        )
