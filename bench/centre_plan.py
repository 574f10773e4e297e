"""What a simulated seat does and when: pure logic for bench/centre, unit-tested.

Kept apart from the driver so the schedule (ramp, 8-10 s turns), the search-as-you-type
prefixes and the CPU accounting can be checked without a server.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# How often an agent types each kind of lookup (a heating/114 line: mostly numbers).
KIND_WEIGHTS: dict[str, float] = {
    "phone": 0.25,  # the full number, digit by digit
    "prefix": 0.15,  # the first 7 digits of a mobile
    "last4": 0.20,
    "name": 0.15,
    "initials": 0.10,
    "address": 0.15,  # street + compound
}
TURN_EVERY = (8.0, 10.0)  # seconds between the starts of two calls at one seat
TICKET_SHARE = 0.2  # one call in five ends in a ticket
SEARCHES = (4, 6)  # requests per lookup while typing (fewer when the query is shorter)
TYPING_GAP = (0.15, 0.35)  # seconds between two of those requests (typing + debounce)


def typed_prefixes(query: str, n: int) -> list[str]:
    """The queries search-as-you-type sends while `query` is typed: `n` growing
    prefixes spread over its length, the last one the whole query (fewer when the
    query has fewer than `n` characters)."""
    if not query:
        return []
    n = max(1, min(n, len(query)))
    lengths = sorted({max(1, round(len(query) * (i + 1) / n)) for i in range(n)})
    return [query[:k] for k in lengths]


def ramp_offsets(seats: int, ramp: float) -> list[float]:
    """When each seat comes on (seconds after the start): evenly over `ramp`."""
    if seats <= 0:
        return []
    return [ramp * i / seats for i in range(seats)]


def turn_times(start: float, end: float, rng: random.Random) -> list[float]:
    """Scheduled starts of one seat's calls between `start` and `end`: the first at a
    random point of the first interval (seats do not fire together), then every 8-10 s."""
    low, high = TURN_EVERY
    t = start + rng.uniform(0, high)
    out = []
    while t < end:
        out.append(t)
        t += rng.uniform(low, high)
    return out


@dataclass(frozen=True)
class Turn:
    """One call at a seat: the lookups typed, and whether it ends in a ticket."""

    kind: str
    queries: list[str]
    ticket: bool


def plan_turn(rng: random.Random, samples: dict[str, Sequence[str]]) -> Turn:
    """Pick a kind by KIND_WEIGHTS, a query of that kind, how many requests typing it
    sends, and whether the call ends in a ticket."""
    kinds = [k for k in KIND_WEIGHTS if samples.get(k)]
    kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
    query = rng.choice(list(samples[kind]))
    queries = typed_prefixes(query, rng.randint(*SEARCHES))
    return Turn(kind, queries, rng.random() < TICKET_SHARE)


# -- CPU time from /proc -----------------------------------------------------------------
def stat_fields(text: str) -> tuple[int, list[str]]:
    """(ppid, fields after the command) of a /proc/PID/stat line; the command may hold
    spaces and parentheses, so split after its last ')'."""
    rest = text[text.rindex(")") + 2 :].split()
    return int(rest[1]), rest


def cpu_ticks(fields: Sequence[str]) -> int:
    """utime + stime: the process's own CPU. Not the reaped children's (cutime): a shell
    reaping a test run would add that run's whole life to the window."""
    return int(fields[11]) + int(fields[12])


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    """root and every process below it, from a {pid: ppid} map."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def busy_delta(before: Iterable[int], after: Iterable[int]) -> tuple[int, int]:
    """(busy, total) jiffies between two /proc/stat `cpu` lines' numbers."""
    a, b = list(before), list(after)
    d = [y - x for x, y in zip(a, b, strict=False)]
    idle = d[3] + (d[4] if len(d) > 4 else 0)  # idle + iowait
    total = sum(d[:8])  # guest time is already in user
    return total - idle, total
