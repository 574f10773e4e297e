"""The benchmarks behave like tools (issue 19): `--help` prints help and runs nothing, and
a run that is interrupted (Ctrl+C, SIGTERM, a closed terminal, a reader that goes away)
stops the PostgreSQL cluster it started."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pgcluster import ENV_REQUIRE, find_bindir

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "bench_cluster_child.py"


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    # The bound only limits a failing test: the old `--help` ran the whole benchmark.
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--help"], "benchmarks: startup, lookup, kb, centre"),
        (["centre", "--help"], "--seats"),
        (["kb", "--help"], "usage: python -m bench kb"),
        (["lookup", "-h"], "usage: python -m bench lookup"),
        (["board", "--help"], "usage: python -m bench board"),
        (["keys", "--help"], "--keys"),
        (["server_ab", "--help"], "--trees"),
        (["probes_ab", "--help"], "--before"),
    ],
)
def test_help_prints_help_and_runs_nothing(args: list[str], says: str) -> None:
    done = bench(*args)
    assert done.returncode == 0, done.stderr
    assert says in done.stdout
    assert "machine:" not in done.stdout  # no run started (a run prints the machine first)


def test_an_unknown_benchmark_is_named_and_nothing_runs() -> None:
    done = bench("lookup", "nope")
    assert done.returncode == 2
    assert "no benchmark called nope" in done.stderr
    assert "machine:" not in done.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def postgres() -> None:
    if find_bindir() is None:
        if os.environ.get(ENV_REQUIRE) == "1":
            pytest.fail(f"PostgreSQL is not installed and {ENV_REQUIRE}=1")
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")


@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGHUP", "closed pipe"])
def test_an_interrupted_run_stops_the_cluster_it_started(how: str) -> None:
    child = subprocess.Popen(
        [sys.executable, str(CHILD)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # our own signals only, as a terminal would send them
    )
    postmaster, base = 0, ""
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith("up "), child.stderr.read() if child.stderr else first
        _, pid_text, base = first.split()
        postmaster = int(pid_text)
        assert _alive(postmaster)
        if how == "closed pipe":
            child.stdout.close()
        else:
            os.killpg(child.pid, getattr(signal, how))
        child.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(postmaster), f"postmaster {postmaster} still running after {how}"
        assert not Path(base).exists()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if postmaster and _alive(postmaster):  # a failed run leaves no cluster behind
            os.kill(postmaster, signal.SIGQUIT)
            shutil.rmtree(base, ignore_errors=True)
