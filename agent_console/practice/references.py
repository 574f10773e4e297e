"""Checks between the parts of a scenario: every name used is defined, once.

A line waiting `on` a milestone nobody defined would leave the caller silent for
ever; a hint `unless` a typo would fire in a perfect run. Both are errors with the
place of the reference.
"""

from __future__ import annotations

import re

from agent_console.practice.reader import Context
from agent_console.practice.scenario import START, Scenario

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _duplicates(ctx: Context, tables: list[tuple[str, list[str]]]) -> None:
    """Ids used twice, across all the `tables` given (they share one namespace)."""
    seen: set[str] = set()
    for table, ids in tables:
        for i, ident in enumerate(ids):
            if ident in seen or ident == START:
                why = "is reserved" if ident == START else "is used twice"
                ctx.at((table, str(i), "id"), f"{table}[{i}].id: {ident!r} {why}")
            seen.add(ident)


def check_references(s: Scenario, ctx: Context) -> None:
    _duplicates(
        ctx, [("rubric", [m.id for m in s.rubric]), ("milestone", [m.id for m in s.milestones])]
    )
    _duplicates(ctx, [("line", [line.id for line in s.lines])])
    _duplicates(ctx, [("hint", [h.id for h in s.hints])])
    known = {m.id for m in s.all_milestones}
    line_ids = {line.id for line in s.lines}

    for table, items in (("rubric", s.rubric), ("milestone", s.milestones)):
        for i, m in enumerate(items):
            where = (table, str(i))
            c = m.condition
            if m.before and (m.before not in known or m.before == m.id):
                ctx.at((*where, "before"), f"{table}[{i}].before: no other milestone {m.before!r}")
            if c.kind == "caller" and not c.ref and s.caller is None:
                ctx.at((*where, "check"), f"{table}[{i}]: check = 'caller' needs ref or [caller]")
            if c.kind == "listing" and not c.ref and s.listing is None:
                ctx.at((*where, "check"), f"{table}[{i}]: check = 'listing' needs ref or [listing]")
            if c.kind == "article" and not c.ref:
                ctx.at((*where, "check"), f"{table}[{i}]: check = 'article' needs ref (a slug)")

    for i, line in enumerate(s.lines):
        if line.on != START and line.on not in known:
            ctx.at(
                ("line", str(i), "on"),
                f"line[{i}].on: {line.on!r} is neither 'start' nor a rubric or milestone id",
            )
        for name in _PLACEHOLDER.findall(line.text):
            if name not in s.facts:
                ctx.at(
                    ("line", str(i), "text"),
                    f"line[{i}].text: {{{name}}} is not one of the [facts]",
                )

    for i, h in enumerate(s.hints):
        if h.unless and h.unless not in known:
            ctx.at(("hint", str(i), "unless"), f"hint[{i}].unless: no milestone {h.unless!r}")
        if h.after and h.after not in line_ids:
            ctx.at(("hint", str(i), "after"), f"hint[{i}].after: no line {h.after!r}")
        for text in (h.text.zh, h.text.en):
            for name in _PLACEHOLDER.findall(text):
                if name != "key":
                    ctx.at(
                        ("hint", str(i), "text"),
                        f"hint[{i}].text: unknown {{{name}}}; only {{key}}",
                    )
