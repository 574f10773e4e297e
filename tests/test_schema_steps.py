"""Released schema steps never change: a database that has had a step does not run it
again, so an edited step would leave old databases and new ones different. Each
engine's SQL of each step (comments and spacing aside) is pinned here; a change to
the schema is a new step, with the next number.

The pins were taken when the steps were first written once for both engines, and
checked then against the two files they replaced: every step the same statements,
except that SQLite's step 1 names the agents CHECK as PostgreSQL's does (the table is
rebuilt by step 5 on SQLite, so no database keeps that name); and a fresh database of
either engine dumped the same schema (sqlite_master, pg_dump -s) before and after.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from agent_console.server.storage.schema import migrations

PINNED = {
    "sqlite": {
        1: "48dc4fe1613c5754",
        2: "9883761bbbb31c77",
        3: "d2204ca85c80c375",
        4: "d19eece82780e863",
        5: "2f34fae3f9ec298c",
        6: "10da307f9d3f4203",
        7: "5734d457c6981fa6",
        8: "17db4fd369edb924",
        9: "6871e5235e187583",
        10: "188bbc767c628e74",
        11: "9393fbf703463dc6",
        12: "697fb27e51a832e6",
        13: "40b06fb8fd421254",
        14: "222221af96ca7499",
        15: "034fd71a845f13c3",
    },
    "postgres": {
        1: "b2f83a3ea27e60aa",
        2: "6b2cf5ae76b4582d",
        3: "8452e559e700acab",
        4: "c8b71c8f21414432",
        5: "15f685ddc904a9e3",
        6: "303c4bb174075f56",
        7: "791bfcf75ed30617",
        8: "0f835a8554a80c56",
        9: "63e4d5ddd4fb1d6b",
        10: "24b672d297ec4739",
        11: "92ca537e5566ca87",
        12: "6aa27da3e3d3284a",
        13: "9c5ae84c68829282",
        14: "17db4fd369edb924",
        15: "17db4fd369edb924",
    },
}


def fingerprint(sql: str) -> str:
    statements = re.sub(r"\s+", " ", re.sub(r"--[^\n]*", "", sql)).strip()
    return hashlib.sha256(statements.encode()).hexdigest()[:16]


@pytest.mark.parametrize("engine", sorted(PINNED))
def test_released_steps_are_unchanged(engine: str) -> None:
    steps = dict(migrations(engine))
    released = {v: fingerprint(steps[v]) for v in PINNED[engine] if v in steps}
    assert released == PINNED[engine]


@pytest.mark.parametrize("engine", sorted(PINNED))
def test_steps_are_numbered_alike_on_both_engines(engine: str) -> None:
    assert [v for v, _ in migrations(engine)] == [v for v, _ in migrations("sqlite")]
