"""Where the server's CPU goes under `python -m bench centre --profile`: py-spy samples
the server's process tree (workers included) over the measured window, and the
collapsed stacks are summed into the frames that hold the most samples.

py-spy leaves out threads waiting in a system call (the event loop in epoll); threads
waiting on a lock or a queue (the thread pool's idle workers) are left out here, so a
frame's share is about its share of the server's CPU, not of wall time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.common import table


class Profiler:
    """`py-spy record` on a pid and its children, collapsed stacks into `out`."""

    def __init__(self, pid: int, seconds: float, out: Path, rate: int = 100) -> None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.out = out
        self.proc = subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--subprocesses",
             "--rate", str(rate), "--duration", str(max(1, int(seconds))),
             "--format", "raw", "--output", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def wait(self, timeout: float = 60) -> Path | None:
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait()
        return self.out if self.out.exists() else None


#: Leaves where a thread waits (a worker thread for work, a lock, a queue): py-spy's own
#: idle check does not catch these waits, so they are dropped here.
IDLE = ("Condition.wait", "Event.wait", "Queue.get", "_worker", "select", "poll", "sleep")
IDLE += ("Connection.wait",)  # psycopg waiting for PostgreSQL's answer
IDLE += ("_readable_within",)  # the events listener polling its socket (postgres/events.py)


def _frame(raw: str) -> str:
    """`func (path/to/file.py:12)` -> `func (file.py)`: one name per function."""
    name, _, where = raw.partition(" (")
    file = where.rsplit(":", 1)[0].rsplit("/", 1)[-1]
    return f"{name} ({file})" if file else name


def collapsed(path: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw format: `frame;frame;... count`, outermost first."""
    stacks: list[tuple[list[str], int]] = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            frames = [_frame(f) for f in stack.split(";")]
            if frames[-1].split(" (")[0] not in IDLE:
                stacks.append((frames, int(count)))
    return stacks


def top_frames(path: Path, n: int = 25) -> str:
    """Two tables: frames by samples under them (inclusive) and by their own (self)."""
    stacks = collapsed(path)
    total = sum(c for _, c in stacks) or 1
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in stacks:
        for f in set(frames[1:]):  # the first is the process/thread line
            inclusive[f] += count
        own[frames[-1]] += count

    def rows(counter: Counter[str]) -> list[list[object]]:
        return [[f[:90], c, f"{100 * c / total:.1f}"] for f, c in counter.most_common(n)]

    return (
        f"py-spy: {total:,} samples of the server's running threads\n\n"
        + table(["frame (inclusive)", "samples", "%"], rows(inclusive))
        + "\n\n"
        + table(["frame (self)", "samples", "%"], rows(own))
    )
