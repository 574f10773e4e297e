"""A fake clock and a way to let time pass, so engine tests are deterministic."""

from __future__ import annotations

from agent_console.practice import Engine, Output, Tick, by_id, shipped_scenarios
from agent_console.practice.scenario import Scenario


class FakeClock:
    """time.monotonic for tests: moves only when told to."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def scenario(scenario_id: str) -> Scenario:
    return by_id(shipped_scenarios(), scenario_id)


def engine_for(scenario_id: str, **kwargs: object) -> tuple[Engine, FakeClock]:
    clock = FakeClock()
    kwargs.setdefault("language", "en")
    return Engine(scenario(scenario_id), clock=clock, **kwargs), clock  # type: ignore[arg-type]


def wait(engine: Engine, clock: FakeClock, seconds: float) -> list[Output]:
    """Let `seconds` pass with a Tick every second, as the console's interval does."""
    out: list[Output] = []
    whole = int(seconds)
    for _ in range(whole):
        clock.now += 1
        out += engine.feed(Tick())
    rest = seconds - whole
    if rest:
        clock.now += rest
        out += engine.feed(Tick())
    return out
