"""Does this event meet that condition? Pure functions, one per kind of condition."""

from __future__ import annotations

from agent_console.practice.engine_io import (
    Event,
    HitOpened,
    ScreenOpened,
    ScriptSaid,
    SmsSent,
    TicketSaved,
)
from agent_console.practice.scenario import Condition, Scenario


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def query_kind(text: str) -> str:
    """digits (a number, spaces and dashes allowed), letters (ASCII: initials, an
    English name), cjk (Chinese), or mixed."""
    compact = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if not compact:
        return "mixed"
    if compact.isdigit():
        return "digits"
    if all(_is_cjk(ch) for ch in compact):
        return "cjk"
    if compact.isascii() and compact.isalpha():
        return "letters"
    return "mixed"


def same_ref(expected: str, got: str) -> bool:
    """Numbers compare by their digits (0471-6929495 == 04716929495); slugs exactly."""
    if expected == got:
        return True
    number_like = expected and all(ch.isdigit() or ch in "-+ ()" for ch in expected)
    return bool(number_like) and digits(expected) == digits(got)


def target_ref(c: Condition, scenario: Scenario) -> str:
    """The ref a caller/listing condition looks for: its own, else the scenario's."""
    if c.ref:
        return c.ref
    if c.kind == "caller" and scenario.caller is not None:
        return scenario.caller.account_no
    if c.kind == "listing" and scenario.listing is not None:
        return scenario.listing.number
    return ""


def _within(value: str, allowed: tuple[str, ...]) -> bool:
    return not allowed or value in allowed


def event_meets(c: Condition, event: Event, scenario: Scenario) -> bool:
    """Whether this one event meets `c` (said conditions are checked on all words)."""
    if c.kind == "script" and isinstance(event, ScriptSaid):
        if event.stage != c.stage:
            return False
        return not c.any or contains_any(event.text, c.any)
    if c.kind == "screen" and isinstance(event, ScreenOpened):
        return event.screen == c.screen
    if c.kind in ("caller", "listing", "article"):
        ref = target_ref(c, scenario)
        if isinstance(event, HitOpened) and event.kind == c.kind:
            return same_ref(ref, event.ref)
        sms_kind = {"listing": "directory", "article": "kb"}.get(c.kind)
        if isinstance(event, SmsSent) and event.kind == sms_kind:
            return same_ref(ref, event.ref)
        return False
    if c.kind == "sms" and isinstance(event, SmsSent):
        return (not c.sms_kind or event.kind == c.sms_kind) and (
            not c.ref or same_ref(c.ref, event.ref)
        )
    if c.kind == "ticket" and isinstance(event, TicketSaved):
        return (
            _within(event.category, c.category)
            and _within(event.station, c.station)
            and _within(event.priority, c.priority)
            and _within(event.source, c.source)
        )
    return False


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def said_meets(c: Condition, words: str) -> bool:
    """A `said` condition against everything the trainee said, noted and sent so far."""
    low = words.lower()
    if c.any and not contains_any(low, c.any):
        return False
    if c.all and not all(w.lower() in low for w in c.all):
        return False
    position = 0
    for w in c.in_order:
        found = low.find(w.lower(), position)
        if found < 0:
            return False
        position = found + len(w)
    return True
