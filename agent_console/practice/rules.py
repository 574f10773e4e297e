"""Reading the parts of a scenario file: rubric items and milestones, caller lines,
hints and the fastest path. Each entry is checked on its own here; references
between entries are checked in `references`."""

from __future__ import annotations

from typing import TypedDict

from agent_console.keymap import NAMED_KEYS
from agent_console.practice.keys import known_action
from agent_console.practice.reader import Reader
from agent_console.practice.scenario import (
    CHECK_KINDS,
    HINT_TRIGGERS,
    HIT_KINDS,
    QUERY_KINDS,
    SCREENS,
    SMS_KINDS,
    STAGES,
    Condition,
    Hint,
    Line,
    Milestone,
    PathStep,
)

ID = r"[a-z0-9][a-z0-9_-]*"

# Which keys each kind of condition takes (besides `check`); others are errors.
_PARAMS: dict[str, tuple[str, ...]] = {
    "script": ("stage", "any"),
    "caller": ("ref",),
    "listing": ("ref",),
    "article": ("ref",),
    "sms": ("kind", "ref"),
    "ticket": ("category", "station", "priority", "source"),
    "said": ("any", "all", "in_order"),
    "screen": ("screen",),
}
_ALL_PARAMS = sorted({p for params in _PARAMS.values() for p in params})

# The skill a rubric item trains unless it says otherwise; drills pick by skill.
_DEFAULT_SKILL = {
    "caller": "lookup",
    "listing": "directory",
    "article": "knowledge",
    "sms": "sms",
    "ticket": "ticket",
    "said": "advice",
    "screen": "navigation",
}


class _Params(TypedDict):
    """Condition's fields besides kind, as read (so **values is checked field by field)."""

    stage: str
    ref: str
    sms_kind: str
    screen: str
    category: tuple[str, ...]
    station: tuple[str, ...]
    priority: tuple[str, ...]
    source: tuple[str, ...]
    any: tuple[str, ...]
    all: tuple[str, ...]
    in_order: tuple[str, ...]


def _condition(r: Reader) -> Condition | None:
    kind = r.string("check", required=True, choices=CHECK_KINDS)
    values: _Params = {
        "stage": r.string("stage", choices=STAGES),
        "ref": r.string("ref"),
        "sms_kind": r.string("kind", choices=SMS_KINDS),
        "screen": r.string("screen", choices=SCREENS),
        "category": r.strings("category"),
        "station": r.strings("station"),
        "priority": r.strings("priority", choices=("normal", "high", "urgent")),
        "source": r.strings("source"),
        "any": r.strings("any"),
        "all": r.strings("all"),
        "in_order": r.strings("in_order"),
    }
    if not kind:
        return None
    allowed = _PARAMS[kind]
    for param in _ALL_PARAMS:
        if r.has(param) and param not in allowed:
            shown = ", ".join(allowed)
            r.problem(param, f"does not apply to check = {kind!r} (it takes: {shown})", at_key=True)
    if kind == "script" and not values["stage"]:
        r.problem("check", "a script check needs stage = one of " + ", ".join(STAGES))
    if kind == "screen" and not values["screen"]:
        r.problem("check", "a screen check needs screen = one of " + ", ".join(SCREENS))
    if kind == "said" and not (values["any"] or values["all"] or values["in_order"]):
        r.problem("check", "a said check needs any, all or in_order words")
    return Condition(kind=kind, **values)


def read_milestones(tables: list[Reader], *, scored: bool) -> tuple[Milestone, ...]:
    out: list[Milestone] = []
    for r in tables:
        ident = r.string("id", required=True, pattern=ID)
        condition = _condition(r)
        weight = r.integer("weight", required=scored, lo=1, hi=100, default=1) if scored else 0
        label = r.bilingual("label", required=scored) if scored else None
        skill = r.string("skill", pattern=ID)
        within = r.number("within", lo=1, hi=3600)
        before = r.string("before", pattern=ID)
        forbid = r.boolean("forbid")
        r.finish()
        if condition is None:
            continue
        if not skill:
            skill = (
                condition.stage
                if condition.kind == "script"
                else _DEFAULT_SKILL.get(condition.kind, condition.kind)
            )
        out.append(Milestone(ident, condition, weight, label, skill, within, before, forbid))
    return tuple(out)


def read_lines(tables: list[Reader]) -> tuple[Line, ...]:
    out: list[Line] = []
    for r in tables:
        line = Line(
            id=r.string("id", required=True, pattern=ID),
            on=r.string("on", required=True, pattern=ID),
            text=r.string("text", required=True),
            after_seconds=r.number("after_seconds", lo=0, hi=600),
        )
        r.finish()
        out.append(line)
    return tuple(out)


_HINT_PARAMS: dict[str, tuple[str, ...]] = {
    "idle": ("seconds",),
    "screen": ("screens",),
    "query": ("screens", "query"),
    "hit": ("hit", "match"),
}


def read_hints(tables: list[Reader]) -> tuple[Hint, ...]:
    out: list[Hint] = []
    for r in tables:
        ident = r.string("id", required=True, pattern=ID)
        on = r.string("on", required=True, choices=HINT_TRIGGERS)
        text = r.bilingual("text", required=True)
        action = r.string("action")
        seconds = r.number("seconds", lo=1, hi=600)
        screens = r.strings("screens", choices=SCREENS)
        query = r.strings("query", choices=QUERY_KINDS)
        hit = r.string("hit", choices=HIT_KINDS)
        match = r.strings("match")
        unless = r.string("unless", pattern=ID)
        after = r.string("after", pattern=ID)
        r.finish()
        if action and not known_action(action):
            r.problem("action", f"{action!r} is not an action of the console (see actions.py)")
        if on:
            allowed = _HINT_PARAMS[on]
            for param in ("seconds", "screens", "query", "hit", "match"):
                if r.has(param) and param not in allowed:
                    r.problem(param, f"does not apply to on = {on!r}", at_key=True)
            if on == "screen" and not screens:
                r.problem("on", "a screen hint needs screens = [the wrong screens]")
            if on == "query" and not query:
                r.problem("on", "a query hint needs query = [the slow kinds of text]")
            if on == "hit" and not (hit and match):
                r.problem("on", "a hit hint needs hit (its kind) and match (the slow match kinds)")
        if text is not None and "{key}" in text.zh + text.en and not action:
            r.problem("text", "names {key} but the hint has no action whose key it could show")
        if text is None or not on:
            continue
        out.append(
            Hint(ident, on, text, action, seconds, screens, query, hit, match, unless, after)
        )
    return tuple(out)


def read_path(top: Reader, key: str) -> tuple[PathStep, ...]:
    """The fastest path, one string per step:
    "screen.lookup"      an action id (one key: whatever the keymap binds to it)
    "type:4701103467"    typed text, ASCII: digits, letters, initials
    "ime:paiqi =排气"    keys pressed in a pinyin input method (space picks the word), then
                         the text they produce; counted as the keys pressed
    "enter"              a plain key (enter, down, tab, escape...)
    """
    steps: list[PathStep] = []
    for i, raw in enumerate(top.raw_list(key, required=True)):
        step = _path_step(raw)
        if isinstance(step, str):
            top.ctx.at_element((key,), i, f"{key}[{i}]: {step}")
        else:
            steps.append(step)
    if not steps and not top.ctx.problems:
        top.problem(key, "the fastest path needs at least one step")
    return tuple(steps)


def _path_step(raw: object) -> PathStep | str:
    """The step, or why `raw` is not one."""
    if not isinstance(raw, str) or not raw:
        return "each step is a non-empty string"
    if raw.startswith(("type:", "ime:")):
        kind, _, rest = raw.partition(":")
        keys, text = [*rest.rsplit("=", 1), ""][:2] if kind == "ime" else (rest, "")
        if not keys or not keys.isascii() or not keys.isprintable():
            return (
                f"write the keys pressed in ASCII (digits, letters, pinyin), so they can be "
                f"counted: {raw!r}"
            )
        if kind == "ime" and not text.strip():
            return f"an ime step is 'ime:<keys>=<text they produce>': {raw!r}"
        return PathStep(kind, keys, text)
    if "." in raw:
        return PathStep("action", raw) if known_action(raw) else f"unknown action {raw!r}"
    if raw in NAMED_KEYS:
        return PathStep("key", raw)
    return f"{raw!r} is neither an action id, 'type:…', 'ime:…=…', nor a key like enter"
