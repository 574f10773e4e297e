"""The weekly review sample: N closed tickets per agent drawn at random, reproducible
with a seed (the same candidates and seed draw the same tickets)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any


def draw(
    candidates: Iterable[Mapping[str, Any]], per_agent: int, seed: int | None
) -> list[tuple[str, int]]:
    """(agent_id, ticket_id) picks: up to `per_agent` of each agent's candidate tickets
    (rows with agent_id, ticket_id), agents in id order, each agent's picks by ticket."""
    by_agent: dict[str, list[int]] = defaultdict(list)
    for c in candidates:
        by_agent[str(c["agent_id"])].append(int(c["ticket_id"]))
    rng = random.Random(seed)
    picks: list[tuple[str, int]] = []
    for agent in sorted(by_agent):
        tickets = sorted(by_agent[agent])
        chosen = rng.sample(tickets, min(per_agent, len(tickets)))
        picks += [(agent, t) for t in sorted(chosen)]
    return picks
