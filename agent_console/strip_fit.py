"""The call strip's parts fitted to the terminal's width, never cut without a sign.

At 80 columns "◉ ON CALL ⇣ in · 王芳 · 138****1234 00:12 → then: Not ready: break
Ctrl+F2: card" ran off the edge and took the key with it. The parts give way in order
of least use to the agent: the words of the after-call state ("then:"), the word for
the direction (its arrow stays), the masked number, then the name shortened with "…".
then (narrower than any seat) the after-call state. The phase, the time and the key
are never shortened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len

from agent_console.linebreak import shorten


@dataclass(frozen=True)
class StripParts:
    phase: str
    arrow: str  # "⇣" / "⇡"
    way: str  # "in" / "out", in the agent's language
    name: str
    number: str
    elapsed: str
    after: str  # the state for after the call, already translated ("Not ready: break")
    after_prefix: str  # "then: " in the agent's language
    hint: str

    def who(self) -> str:
        way = f"{self.arrow} {self.way}" if self.way else self.arrow
        return " · ".join(part for part in (way, self.name, self.number) if part)

    def after_text(self) -> str:
        return f"→ {self.after_prefix}{self.after}" if self.after else ""

    def texts(self) -> tuple[str, str, str, str, str]:
        return (self.phase, self.who(), self.elapsed, self.after_text(), self.hint)


def width_of(texts: tuple[str, ...]) -> int:
    """Cells the strip takes: each shown part has one cell of padding before it."""
    return sum(cell_len(text) + 1 for text in texts if text)


def fit(parts: StripParts, width: int) -> tuple[str, str, str, str, str]:
    """The strip's five texts (phase, who, time, after, hint) within `width` cells."""
    steps: tuple[dict[str, str], ...] = ({}, {"after_prefix": ""}, {"way": ""}, {"number": ""})
    for step in steps:  # each one on top of those before
        parts = replace(parts, **step)
        if width_of(parts.texts()) <= width:
            return parts.texts()
    over = width_of(parts.texts()) - width
    name = shorten(parts.name, max(cell_len(parts.name) - over, 1))
    phase, who, elapsed, after, hint = replace(parts, name=name).texts()
    over = width_of((phase, who, elapsed, after, hint)) - width
    if over > 0 and after:  # narrower than any seat: the after-call state gives way too
        after = shorten(after, max(cell_len(after) - over, 2))
    return phase, who, elapsed, after, hint
