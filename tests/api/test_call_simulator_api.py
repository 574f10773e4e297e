"""The demo's phone system (`agent-console demo --calls-every`), on a real server with
short timers: it rings the listening agent through the CTI path, and a call nobody
answers is hung up (cause `cancel`) and lands in the caller log as a missed call; a call
the agent answers is theirs, and no new call rings while they have it."""

from __future__ import annotations

import time
from pathlib import Path

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_cti_api import Tap, agent
from tests.conftest import DemoDatabase, start_backend


def test_simulator_rings_through_cti_and_unanswered_calls_are_missed(
    demo_db: DemoDatabase, tmp_path: Path
) -> None:
    args = ["--simulated-calls", "--calls-every", "0.5", "--calls-to", "1001"]
    backend = start_backend(demo_db, tmp_path / "server", [*args, "--ring-timeout", "2"])
    try:
        with Tap(backend.url, "1001") as one, agent(backend.url, "1001") as li:
            first = wait_ref(one, lambda refs: refs[:1])[0]
            pop = one.wait("incoming_call", first)
            assert first.startswith("sim-") and pop["direction"] == "in"
            ended = one.wait("call_ended", first)
            assert (ended["cause"], ended["answered"], ended["agent_id"]) == ("cancel", False, None)
            missed = li.get("/calls/missed").json()["items"]
            assert pop["call_id"] in [m["call_id"] for m in missed]

            # The next call, answered: it is 1001's, and nothing else rings meanwhile.
            second = wait_ref(one, lambda refs: refs[1:2])[0]
            call_id = one.wait("incoming_call", second)["call_id"]
            r = li.post(f"/calls/{call_id}/answer")
            if r.status_code == 409:  # given up just before the answer: take the next one
                second = wait_ref(one, lambda refs: refs[2:3])[0]
                call_id = one.wait("incoming_call", second)["call_id"]
                r = li.post(f"/calls/{call_id}/answer")
            assert (r.status_code, r.json()["answered_by"]) == (200, "1001"), r.text
            rung_while_busy = len(incoming_refs(one))
            r = li.post(f"/calls/{call_id}/hangup")
            assert r.status_code == 200
            ended = one.wait("call_ended", second)
            assert (ended["cause"], ended["answered"]) == ("normalClearing", True)
            # Rings again once the line is free: the first call after the hangup is new.
            wait_ref(one, lambda refs: refs[rung_while_busy : rung_while_busy + 1])
            assert rung_while_busy == incoming_refs(one).index(second) + 1
    finally:
        backend.stop()


def test_a_call_left_ringing_by_an_earlier_run_is_missed_and_the_agent_rung_again(
    demo_db: DemoDatabase, tmp_path: Path
) -> None:
    """A demo stopped while a simulated call rang: on the next start that call is a
    missed call (nobody could answer it) and the agent gets new calls (they stayed
    silent for good: the agent looked busy with a call that would never end)."""
    args = ["--simulated-calls", "--calls-every", "0.5", "--calls-to", "1001"]
    first = start_backend(demo_db, tmp_path / "server", [*args, "--ring-timeout", "600"])
    try:
        with Tap(first.url, "1001") as one:
            left = one.wait("incoming_call", wait_ref(one, lambda refs: refs[:1])[0])
    finally:
        first.stop()
    again = EmbeddedBackend(
        first.db,
        demo_data=False,
        log_file=tmp_path / "server" / "again.log",
        extra_args=[*args, "--ring-timeout", "600"],
    ).start()
    try:
        with Tap(again.url, "1001") as one, agent(again.url, "1001") as li:
            new = wait_ref(one, lambda refs: [r for r in refs if r != left["call_ref"]][:1])
            assert new and new[0].startswith("sim-")
            missed = {m["call_id"]: m for m in li.get("/calls/missed").json()["items"]}
            assert missed[left["call_id"]]["cause"] == "cancel"
    finally:
        again.stop()


def incoming_refs(tap: Tap) -> list[str]:
    return [d["call_ref"] for t, d in list(tap.seen) if t == "incoming_call"]


def wait_ref(tap: Tap, pick: object, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while not (found := pick(incoming_refs(tap))):  # type: ignore[operator]
        assert time.monotonic() < deadline, f"no simulated call rang: {tap.seen}"
        time.sleep(0.02)
    return found
