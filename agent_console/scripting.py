"""Which standard phrases to show and how they read: placeholders, time of day, language.

No Textual here: the Scripts screen shows what these functions decide, and tests check
the decisions without a terminal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from agent_console.models import Agent, Caller, Script

GAP = "＿＿＿"  # a placeholder with no value: visible, never raw braces
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
STAGES = ("greeting", "verification", "hold", "transfer", "apology", "closing")
LANGUAGES = ("zh", "en")


def current_hour() -> int:
    """The seat's local hour (tests replace this to walk through the day)."""
    return time.localtime().tm_hour


def period(hour: int) -> str:
    """morning 5-12, afternoon 12-18, evening 18-22, night 22-5."""
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 18:
        return "afternoon"
    if 18 <= hour < 22:
        return "evening"
    return "night"


def time_greeting(language: str, hour: int | None = None) -> str:
    hour = current_hour() if hour is None else hour
    if language == "en":
        return "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening"
    return "早上好" if hour < 12 else "下午好" if hour < 18 else "晚上好"


def fill(body: str, values: dict[str, str]) -> str:
    """Replace {placeholders}; a missing or empty value becomes a visible gap."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or GAP, body)


def call_language(caller: Caller | None, agent: Agent | None, override: str | None) -> str:
    """The language to speak: the agent's choice for this call, else the caller's, else
    the agent's own."""
    if override in LANGUAGES:
        return override
    if caller is not None and caller.language in LANGUAGES:
        return caller.language
    if agent is not None and agent.language in LANGUAGES:
        return agent.language
    return "zh"


def visible(scripts: Iterable[Script], hotline: str, language: str, hour: int) -> list[Script]:
    """This hotline's phrases in this language for this time of day, in call order:
    by stage, and inside a stage the phrase written for this time of day first."""
    now = period(hour)
    order = {s: i for i, s in enumerate(STAGES)}
    shown = [
        s
        for s in scripts
        if (not hotline or s.hotline == hotline)
        and s.language == language
        and s.time_of_day in ("any", now)
    ]
    return sorted(shown, key=lambda s: (order.get(s.stage, 99), s.time_of_day != now, s.sort, s.id))


def matches(script_text: str, title: str, stage_words: str, needle: str) -> bool:
    needle = needle.strip().lower()
    return not needle or any(needle in t.lower() for t in (script_text, title, stage_words))


# The service motto 四多, as a checklist shown before the closing phrase.
FOUR_MORE: dict[str, tuple[tuple[str, str], ...]] = {
    "zh": (
        ("多问一声", "还有其他需要帮您的吗？"),
        ("多想一点", "这件事还会牵出什么？邻居、家人、下次再遇到怎么办"),
        ("多说一句", "告诉他没想到要问的：地址、时间、证件、费用"),
        ("多管一事", "不归我们管的，也帮他指条路：找谁、打哪个电话"),
    ),
    "en": (
        ("Ask one more question", "Is there anything else I can help you with?"),
        ("Think one step further", "What else follows: neighbours, family, next time"),
        ("Say one more sentence", "What they did not think to ask: address, hours, papers, fee"),
        ("Handle one more thing", "Outside our remit too: whom to call, which number"),
    ),
}


def four_more(language: str) -> tuple[tuple[str, str], ...]:
    return FOUR_MORE.get(language, FOUR_MORE["zh"])


def four_more_note(language: str, done: Iterable[int]) -> str:
    """The line the call notes get: which of the four the agent did."""
    items = four_more(language)
    ticked = [items[i][0] for i in sorted(set(done)) if 0 <= i < len(items)]
    head = "Four more" if language == "en" else "四多"
    return f"{head}: " + ("✓ " + " ✓ ".join(ticked) if ticked else "—")
