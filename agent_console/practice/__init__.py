"""Practice mode's headless core: scenarios, the engine, hints, the debrief, drills.

No Textual here (tests/test_import_hygiene.py); the console's practice UI drives this.

The interface the console uses
------------------------------
Loading (errors are ConfigError with file:line:col problems, as for the config)::

    from agent_console import practice
    scenarios = practice.load_all(settings.practice.scenarios)   # shipped + the folder's
    scenario = practice.by_id(scenarios, "heat-half-hot")

Playing one call::

    engine = practice.Engine(
        scenario,
        keymap=settings.keys,            # hints name the trainee's keys, never hard-coded ones
        clock=time.monotonic,            # injected: tests pass a fake clock
        language=i18n.language(),        # hints and rubric labels: zh or en
        idle_seconds=settings.practice.idle_hint_seconds,
    )
    outputs = engine.start()             # [CallerLine, ...] - show them
    outputs = engine.feed(event)         # after each thing the trainee does
    outputs = engine.feed(practice.Tick())   # from a 1 s interval: stalls and idle hints
    engine.state                         # PracticeState: step, met milestones, points...
    engine.hand()                        # {"scenario_id", "step"} for POST /practice/hands
    engine.feed(practice.CallEnded())
    debrief = engine.debrief()           # Debrief: score, time, keystrokes vs fastest,
                                         # missed items (why), fastest path spelled as keys
    client body: debrief.to_json(drill_id=...)   # POST /api/v1/practice/results

Outputs are `CallerLine(id, text, at, step)` and `HintShown(id, text, at, source,
action, keys)`; `source` is "scripted" or "mentor". Both carry caller or mentor text:
render them as plain text (Content(...)), never as markup.

Events the console emits (all frozen dataclasses in `practice.engine_io`):
    ScreenOpened(screen)                 lookup, directory, card, scripts, kb, article, ticket
    Keystroke(key)                       every key event in practice (the count is these)
    QueryTyped(screen, text, keystrokes) a search that ran (debounced, or on Enter)
    HitOpened(kind, ref, match_kind)     caller: account_no; listing: number; article: slug
    ScriptSaid(stage, script_id, text)   a script line marked as said (filled-in text)
    SmsSent(kind, ref, text)             kind as the backend's: directory, kb, account...
    TicketSaved(category, station, priority, source, summary)
    NoteAdded(text)                      a line added to the call notes
    HandRaised()                         the raise-hand key (also POST /practice/hands)
    MentorHint(text, hint_id)            a live hint arrived (SSE); shown like a scripted one
    CallEnded()                          hang-up: the debrief is final
    Tick()                               time passed (not activity)

A daily drill::

    history = [practice.PastResult.from_json(r) for r in results]  # GET /practice/results
    plan = practice.plan_drill(scenarios, history, minutes=15, day=date.toordinal())
    # -> [DrillItem(scenario, reason, detail)], easiest first, within the 15 minutes

Keys: `practice.action_keys("screen.lookup", keymap)` -> "F2"; the fastest path is
`debrief.fastest` (SpelledStep(keys, what, keystrokes)) and `debrief.fastest_text`.
Every action a scenario or hint names is in the catalogue (agent_console/actions.py):
the loader refuses any other.

The backend, through BackendClient (agent_console/client/practice.py)::

    await client.submit_practice_result(debrief.to_json())      # trainee, after hang-up
    await client.practice_results() / practice_progress()       # history, where time goes
    await client.raise_hand(**engine.hand())                    # the raise-hand key
    await client.report_practice_activity(scenario.id, title, step)   # on each new line
    await client.practice_hints(after=last_id)                  # until the events stream
                                                                # pushes them: MentorHint
    await client.mark_hint_seen(hint.id)
    mentors: raised_hands(), take_hand(id), send_practice_hint(trainee_id, text,
             hand_id=...), practice_room(), practice_compare([...])

Live push (part B, with the events stream of issue 3): publish the row POST
/practice/hands returns to mentors, and the row POST /practice/hints returns to its
trainee; the console turns the latter into MentorHint(text, str(id)) for its engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported from their modules on first use (PEP 562): the console imports
# `practice.engine_io` on start-up to emit events, and must not pay for the loader and
# the engine (~40 ms) until a practice call begins.
_HOME = {
    "Debrief": "debrief",
    "ItemResult": "debrief",
    "DrillItem": "drill",
    "PastResult": "drill",
    "plan_drill": "drill",
    "Engine": "engine",
    "PracticeState": "engine",
    "SpelledStep": "keys",
    "action_keys": "keys",
    "key_display": "keys",
    "load_all": "loader",
    "load_folder": "loader",
    "parse_scenario": "loader",
    "shipped_scenarios": "loader",
    "Scenario": "scenario",
    **{
        name: "engine_io"
        for name in (
            "CallEnded",
            "CallerLine",
            "Event",
            "HandRaised",
            "HintShown",
            "HitOpened",
            "Keystroke",
            "MentorHint",
            "NoteAdded",
            "Output",
            "QueryTyped",
            "ScreenOpened",
            "ScriptSaid",
            "SmsSent",
            "Tick",
            "TicketSaved",
        )
    },
}

if TYPE_CHECKING:
    from agent_console.practice.debrief import Debrief, ItemResult
    from agent_console.practice.drill import DrillItem, PastResult, plan_drill
    from agent_console.practice.engine import Engine, PracticeState
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
    from agent_console.practice.keys import SpelledStep, action_keys, key_display
    from agent_console.practice.loader import (
        load_all,
        load_folder,
        parse_scenario,
        shipped_scenarios,
    )
    from agent_console.practice.scenario import Scenario


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def by_id(scenarios: list[Scenario], scenario_id: str) -> Scenario:
    """The scenario with that id; KeyError naming the ids there are."""
    for s in scenarios:
        if s.id == scenario_id:
            return s
    known = ", ".join(s.id for s in scenarios)
    raise KeyError(f"no practice scenario {scenario_id!r}; there are: {known}")


__all__ = [
    "CallEnded",
    "CallerLine",
    "Debrief",
    "DrillItem",
    "Engine",
    "Event",
    "HandRaised",
    "HintShown",
    "HitOpened",
    "ItemResult",
    "Keystroke",
    "MentorHint",
    "NoteAdded",
    "Output",
    "PastResult",
    "PracticeState",
    "QueryTyped",
    "Scenario",
    "ScreenOpened",
    "ScriptSaid",
    "SmsSent",
    "SpelledStep",
    "Tick",
    "TicketSaved",
    "action_keys",
    "by_id",
    "key_display",
    "load_all",
    "load_folder",
    "parse_scenario",
    "plan_drill",
    "shipped_scenarios",
]
