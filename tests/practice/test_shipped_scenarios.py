"""Every shipped scenario loads, names real demo data, and can be won against the real
demo backend by its own fastest path: full score, no hints, and exactly the keystrokes
the debrief will call the fastest."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import httpx
import pytest

from agent_console.actions import BY_ID
from agent_console.practice import Engine, shipped_scenarios
from agent_console.practice.matching import digits
from agent_console.practice.scenario import Scenario
from agent_console.server.demo import demo_rows
from tests.practice.helpers import FakeClock
from tests.practice.sim import SimulatedConsole

SCENARIOS = shipped_scenarios()
IDS = [s.id for s in SCENARIOS]


@cache
def demo(name: str, key: str) -> list[dict[str, Any]]:
    return demo_rows(name, key)


def refs(s: Scenario, kind: str) -> set[str]:
    """Every ref of `kind` (caller, listing, article) the scenario's checks name."""
    out = set()
    for m in s.all_milestones:
        c = m.condition
        if c.kind == kind and c.ref:
            out.add(c.ref)
        if (
            c.kind == "sms"
            and c.ref
            and {"listing": "directory", "article": "kb"}.get(kind) == c.sms_kind
        ):
            out.add(c.ref)
    if kind == "caller" and s.caller:
        out.add(s.caller.account_no)
    if kind == "listing" and s.listing:
        out.add(s.listing.number)
    return out


def test_there_are_enough_scenarios_for_every_hotline_and_level() -> None:
    assert len(SCENARIOS) >= 12
    assert {s.hotline for s in SCENARIOS} == {"961655", "10000", "114"}
    assert {s.language for s in SCENARIOS} == {"zh", "en"}
    assert set(Counter(s.difficulty for s in SCENARIOS)) >= {1, 2, 3, 4}
    assert Counter(s.hotline for s in SCENARIOS)["114"] >= 4  # listings of growing difficulty


@pytest.mark.parametrize("s", SCENARIOS, ids=IDS)
def test_callers_are_demo_callers(s: Scenario) -> None:
    callers = {c["account_no"]: c for c in demo("callers.toml", "caller") if c["account_no"]}
    for account in refs(s, "caller"):
        assert account in callers, f"no demo caller with account {account}"
    if s.caller is not None:
        c = callers[s.caller.account_no]
        assert (s.caller.name or c["name"], s.caller.phone or c["phone"]) == (c["name"], c["phone"])
        for fact in ("name", "phone"):
            if fact in s.facts:
                assert s.facts[fact] == c[fact]


@pytest.mark.parametrize("s", SCENARIOS, ids=IDS)
def test_listings_and_articles_exist_and_unlisted_ones_do_not(s: Scenario) -> None:
    listings = demo("directory.toml", "listing")
    numbers = {digits(listing["number"]) for listing in listings}
    for number in refs(s, "listing"):
        assert digits(number) in numbers, f"no demo listing {number}"
    if s.listing is not None:
        assert any(
            row["name"] == s.listing.name
            and row["number"] == s.listing.number
            and s.listing.department in ("", row["department"])
            for row in listings
        )
    if s.unlisted:
        assert not any(s.unlisted in row["name"] for row in listings)
    slugs = {a["slug"] for a in demo("kb.toml", "article")}
    assert refs(s, "article") <= slugs


@pytest.mark.parametrize("s", SCENARIOS, ids=IDS)
def test_tickets_name_real_categories_and_the_callers_station(s: Scenario) -> None:
    categories = {c["id"] for c in demo("categories.toml", "category")}
    stations = {st["code"] for st in demo("stations.toml", "station")}
    compounds = {c["name"]: c for c in demo("compounds.toml", "compound")}
    callers = {c["account_no"]: c for c in demo("callers.toml", "caller")}
    for m in s.all_milestones:
        c = m.condition
        if c.kind != "ticket":
            continue
        assert set(c.category) <= categories
        assert set(c.station) <= stations
        if len(c.station) == 1 and s.caller is not None and not m.forbid:
            compound = compounds[callers[s.caller.account_no]["compound"]]
            assert compound["station"] == c.station[0], "dispatch to the caller's own station"


@pytest.mark.parametrize("s", SCENARIOS, ids=IDS)
def test_actions_are_the_consoles(s: Scenario) -> None:
    named = {h.action for h in s.hints if h.action} | {
        p.value for p in s.fastest if p.kind == "action"
    }
    assert named <= set(BY_ID)


@pytest.mark.parametrize("s", SCENARIOS, ids=IDS)
def test_the_fastest_path_wins_against_the_demo_backend(s: Scenario, api: httpx.Client) -> None:
    clock = FakeClock()
    engine = Engine(s, clock=clock, language="en")
    SimulatedConsole(api, s, engine, clock).play(s.fastest)
    debrief = engine.debrief()
    assert [(i.id, i.why) for i in debrief.missed] == []
    assert debrief.score == 100
    assert engine.hints == ()
    assert debrief.keystrokes == debrief.fastest_keystrokes
    assert debrief.duration <= s.par_seconds


def test_a_wrong_query_in_a_path_is_caught(api: httpx.Client) -> None:
    """The check above can fail: the same path with a query the backend answers with
    another listing loses the listing item."""
    s = next(x for x in SCENARIOS if x.id == "dir-exact-name")
    from dataclasses import replace

    from agent_console.practice.scenario import PathStep

    path = tuple(PathStep("type", "bjdx") if p.value == "hhhtdz" else p for p in s.fastest)
    clock = FakeClock()
    engine = Engine(replace(s, fastest=path), clock=clock)
    SimulatedConsole(api, s, engine, clock).play(path)
    assert {i.id for i in engine.debrief().missed} == {"found", "sent"}
