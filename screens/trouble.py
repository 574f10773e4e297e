"""A part of the seat that fails says so: in the status bar, in the log, once in a notice.

Each part (the outbox sender, the draft autosave, the log) reports its problem here,
and reports None as soon as it works again; nothing fails silently (issue 20, item 4).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from agent_console.i18n import _

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

log = logging.getLogger("agent_console.seat")


def part_name(part: str) -> str:
    return {
        "outbox": _("outbox"),
        "draft": _("draft autosave"),
        "log": _("log"),
    }.get(part, part)


def report(console: AgentConsole, part: str, problem: str | None) -> None:
    """`problem`: what is wrong with `part` now, or None: it works (again)."""
    problems = console.session.problems
    if problems.get(part) == problem:
        return
    if problem is None:
        problems.pop(part, None)
        log.info("%s works again", part)
        console.notify(_("The {part} works again.").format(part=part_name(part)), markup=False)
    else:
        first = part not in problems
        problems[part] = problem
        log.warning("%s failing: %s", part, problem)
        if first:
            console.notify(
                _("The {part} is failing: {why}").format(part=part_name(part), why=problem),
                title=_("Seat problem"),
                severity="error",
                timeout=20,
                markup=False,
            )
    console.publish_status()


def watch_log(console: AgentConsole, every: float = 5.0) -> None:
    """Look at the log file's health now and then (a write fails silently otherwise)."""
    from agent_console import logs

    console.set_interval(every, lambda: report(console, "log", logs.failure()))
