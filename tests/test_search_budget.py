"""The default caller-search budget against the work it must never refuse: a 114
agent typing every lookup (one request per keystroke, a full 11-digit number and a
correction: 15 requests) on a call every 8 s for a whole shift, and the centre
benchmark's seats; and against a mask walker, whom it must slow down."""

from __future__ import annotations

import random

from agent_console.server.search_guard import SearchBudget, SearchLimiter
from bench.centre_plan import SEARCHES, TURN_EVERY, TYPING_GAP


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def refusals(per_turn: int, every: float, gap: float, hours: float) -> int:
    clock = Clock()
    limiter = SearchLimiter(SearchBudget(), clock)
    refused = 0
    turn = 0.0
    while turn < hours * 3600:
        for i in range(per_turn):
            clock.t = turn + i * gap
            refused += limiter.take("1001") is not None
        turn += every
    return refused


def test_a_fast_typist_on_back_to_back_calls_is_never_refused() -> None:
    assert refusals(per_turn=15, every=TURN_EVERY[0], gap=0.1, hours=12) == 0


def test_a_bench_seat_is_never_refused() -> None:
    rng = random.Random(114)
    clock = Clock()
    limiter = SearchLimiter(SearchBudget(), clock)
    refused = 0
    for _ in range(2000):
        clock.t += rng.uniform(*TURN_EVERY)
        for _ in range(SEARCHES[1]):
            clock.t += TYPING_GAP[0]
            refused += limiter.take("70001") is not None
    assert refused == 0


def test_a_mask_walker_is_slowed_to_the_sustained_rate() -> None:
    per_second = 10  # a script, not a person
    refused = refusals(per_turn=per_second * 60, every=60.0, gap=1 / per_second, hours=1)
    allowed = 60 * per_second * 60 - refused
    budget = SearchBudget()
    assert allowed <= budget.burst + budget.per_minute * 60 + 1


def test_agents_have_budgets_of_their_own() -> None:
    clock = Clock()
    limiter = SearchLimiter(SearchBudget(per_minute=6, burst=2), clock)
    assert [limiter.take("1001") for _ in range(3)][:2] == [None, None]
    assert limiter.take("1001") == 10  # one search every 10 s after the burst
    assert limiter.take("1002") is None
    clock.t = 10.0
    assert limiter.take("1001") is None
