"""The review sample's draw: per agent, at most N, reproducible with a seed."""

from __future__ import annotations

from agent_console.server.quality.sampling import draw

CANDIDATES = [{"agent_id": a, "ticket_id": t} for a, t in
              [("b", 5), ("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 6), ("c", 7)]]  # fmt: skip


def test_at_most_n_per_agent_from_their_own_tickets() -> None:
    picks = draw(CANDIDATES, 2, seed=1)
    per_agent: dict[str, list[int]] = {}
    for agent, ticket in picks:
        per_agent.setdefault(agent, []).append(ticket)
    assert sorted(per_agent) == ["a", "b", "c"]
    assert len(per_agent["a"]) == 2 and set(per_agent["a"]) <= {1, 2, 3, 4}
    assert per_agent["b"] == [5, 6] and per_agent["c"] == [7]
    assert len(set(picks)) == len(picks)


def test_the_same_seed_draws_the_same_and_order_of_rows_does_not_matter() -> None:
    assert draw(CANDIDATES, 2, seed=42) == draw(list(reversed(CANDIDATES)), 2, seed=42)
    draws = {tuple(draw(CANDIDATES, 1, seed=s)) for s in range(20)}
    assert len(draws) > 1  # the seed does change the draw
    assert draw([], 3, seed=1) == []
