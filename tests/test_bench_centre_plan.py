"""bench/centre_plan: the seat schedule, search-as-you-type prefixes, /proc parsing."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.centre import parse_trees
from bench.centre_load import summarise, tickets_check
from bench.centre_plan import (
    TURN_EVERY,
    busy_delta,
    cpu_ticks,
    descendants,
    plan_turn,
    ramp_offsets,
    stat_fields,
    turn_times,
    typed_prefixes,
)
from bench.centre_setup import ROOT


def test_prefixes_grow_and_end_with_the_whole_query() -> None:
    assert typed_prefixes("13912345678", 5) == [
        "13",
        "1391",
        "1391234",
        "139123456",
        "13912345678",
    ]
    assert typed_prefixes("5678", 6) == ["5", "56", "567", "5678"]  # shorter than 6
    assert typed_prefixes("李静", 4) == ["李", "李静"]
    assert typed_prefixes("", 4) == []


def test_ramp_spreads_seats_evenly_over_the_ramp() -> None:
    assert ramp_offsets(4, 2.0) == [0.0, 0.5, 1.0, 1.5]
    assert ramp_offsets(0, 5.0) == []


def test_turns_come_every_8_to_10_seconds_inside_the_window() -> None:
    times = turn_times(3.0, 63.0, random.Random(1))
    assert 3.0 <= times[0] < 3.0 + TURN_EVERY[1]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(TURN_EVERY[0] <= g <= TURN_EVERY[1] for g in gaps)
    assert 63.0 - TURN_EVERY[1] <= times[-1] < 63.0  # the next would be past the end
    assert turn_times(3.0, 63.0, random.Random(1)) == times  # seeded: same schedule


def test_one_call_in_five_makes_a_ticket_and_kinds_follow_the_samples() -> None:
    rng = random.Random(7)
    samples = {"last4": ["5678", "1234"], "name": ["李静"]}
    turns = [plan_turn(rng, samples) for _ in range(2000)]
    assert {t.kind for t in turns} == {"last4", "name"}
    share = sum(t.ticket for t in turns) / len(turns)
    assert share == pytest.approx(0.2, abs=0.03)
    assert all(t.queries[-1] in samples[t.kind] for t in turns)


def test_stat_line_with_spaces_and_parentheses_in_the_command() -> None:
    line = "42 (py (x) y) S 7 42 42 0 -1 4194560 1 0 0 0 150 30 5 6 20 0 1 0 9 0 0"
    ppid, fields = stat_fields(line)
    assert ppid == 7
    assert cpu_ticks(fields) == 180  # utime + stime, not the reaped children


def test_descendants_follow_the_whole_tree_only() -> None:
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1}
    assert descendants(10, parents) == {10, 11, 12, 13}
    assert descendants(99, parents) == {99}


def test_busy_counts_everything_but_idle_and_iowait() -> None:
    before = [100, 0, 50, 1000, 10, 0, 0, 0, 0, 0]
    after = [160, 0, 70, 1100, 30, 5, 5, 0, 0, 0]
    assert busy_delta(before, after) == (90, 210)


def test_tickets_lost_doubled_and_unexpected_show() -> None:
    found = {"a": 1, "b": 2, "x": 1, "u": 1}
    check = tickets_check(["a", "b", "c"], ["u"], found)
    assert check == {
        "expected": 3,
        "found": 5,
        "lost": 1,  # c
        "doubled": 1,  # b
        "unexpected": 1,  # x (u: the reply was lost, either outcome is fine)
        "unsure": 1,
    }


def _driver_out(partial_kinds: dict[str, int], queries: list[str]) -> dict:
    return {
        "latency": {"GET /callers?q=": [0.01, 0.02]},
        "errors": {},
        "sse_drops": {},
        "lag": [0.0],
        "loop_lag": [0.0],
        "tickets_ok": [],
        "tickets_unsure": [],
        "overruns": 0,
        "skipped": 0,
        "partial": sum(partial_kinds.values()),
        "partial_kinds": partial_kinds,
        "partial_queries": queries,
        "no_hit": 0,
        "turns": 1,
        "searches": 2,
        "seats": 1,
        "ticket_retries": 0,
        "replays": 0,
        "sse_events": 0,
        "cpu": 0.1,
        "tail": 0.0,
    }


def test_partial_searches_are_summed_by_kind_over_the_drivers() -> None:
    cpu = {"server": 1.0, "postgres": 1.0, "drivers": 0.2, "others": 0.0}
    cpu |= {"top_others": [], "busy": 2.0, "capacity": 4.0, "load": 1.5}
    result = {
        "engine": "postgres",
        "workers": 2,
        "seats": 2,
        "label": "after",
        "found": {},
        "window": 1.0,
        "sign_in": 0.1,
        "cpu": cpu,
        "outs": [
            _driver_out({"address": 2, "name": 1}, ["建设路", "王建国"]),
            _driver_out({"address": 1}, ["阳光小区"]),
        ],
    }
    text = summarise([result], 1.0, [])
    assert "4 partial" in text and "partial by kind: address 3, name 1" in text
    assert "e.g. 建设路, 王建国, 阳光小区" in text
    assert "PostgreSQL, 2 workers, 2 seats, after" in text


def test_server_trees_are_labelled_source_trees(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    assert parse_trees("") == {"": ROOT}
    assert parse_trees(f"before={root},after={root}") == {"before": root, "after": root}
    with pytest.raises(SystemExit, match="not LABEL=PATH"):
        parse_trees(f"before={tmp_path}")


def test_server_ab_pools_passes_and_divides_by_the_same_trees_health() -> None:
    from bench.server_ab import pooled, ratio_rows

    ms = 0.001
    before = pooled(
        [
            {
                "health": [1 * ms] * 20,
                "cpu:health": [0.5 * ms],
                "q": [4 * ms] * 20,
                "cpu:q": [2 * ms],
            },
            {
                "health": [1 * ms] * 20,
                "cpu:health": [0.5 * ms],
                "q": [4 * ms] * 20,
                "cpu:q": [4 * ms],
            },
        ]
    )
    after = {"health": [2 * ms] * 20, "cpu:health": [1 * ms], "q": [3 * ms] * 20, "cpu:q": [1 * ms]}
    health, q = ratio_rows(["q"], {"before": before, "after": after})
    assert health[0] == "GET /health (baseline)" and health[2] == health[4] == 1.0
    assert q[1:5] == pytest.approx([4.0, 4.0, 3.0, 6.0])  # p95, x health, CPU (mean), x CPU
    assert q[5:] == pytest.approx([3.0, 1.5, 1.0, 1.0])


def test_server_ab_gives_a_tree_its_own_database(tmp_path: Path) -> None:
    """A tree older than a schema step refuses the database the newer tree upgraded:
    `--lookup-db before=PATH` names its own copy; a path that is no file is refused."""
    from bench.server_ab import label_paths

    db = tmp_path / "old.db"
    db.write_bytes(b"")
    assert label_paths(f"before={db}") == {"before": db.resolve()}
    assert label_paths("") == {}
    with pytest.raises(SystemExit):
        label_paths(f"before={tmp_path / 'missing.db'}")
