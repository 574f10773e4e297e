"""The schema steps themselves, one module a step (see schema.py for how a step
becomes an engine's SQL). A new step is a new module, added at the end of STEPS."""

from __future__ import annotations

from agent_console.server.storage.schema_steps import (
    step01_first,
    step02_sms,
    step03_lookup_speed,
    step04_scripts_guides_flags,
    step05_closed_loop,
    step06_practice,
    step07_events,
    step08_centre_search,
    step09_login_attempts,
    step10_phone_calls,
    step11_supervisor_seat,
    step12_quality_loop,
    step13_floor_messages,
    step14_lookup_pairs,
    step15_kb_pairs,
    step16_lookup_triples,
    step17_lookup_fives,
    step18_lookup_sevens,
)
from agent_console.server.storage.schema_steps.parts import Part

__all__ = ["STEPS", "Part"]

#: (version, parts) of every step, in order.
STEPS: list[tuple[int, tuple[Part, ...]]] = [
    (1, step01_first.PARTS),
    (2, step02_sms.PARTS),
    (3, step03_lookup_speed.PARTS),
    (4, step04_scripts_guides_flags.PARTS),
    (5, step05_closed_loop.PARTS),
    (6, step06_practice.PARTS),
    (7, step07_events.PARTS),
    (8, step08_centre_search.PARTS),
    (9, step09_login_attempts.PARTS),
    (10, step10_phone_calls.PARTS),
    (11, step11_supervisor_seat.PARTS),
    (12, step12_quality_loop.PARTS),
    (13, step13_floor_messages.PARTS),
    (14, step14_lookup_pairs.PARTS),
    (15, step15_kb_pairs.PARTS),
    (16, step16_lookup_triples.PARTS),
    (17, step17_lookup_fives.PARTS),
    (18, step18_lookup_sevens.PARTS),
]
