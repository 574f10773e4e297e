"""A benchmark's shape, for tests/test_bench_tools.py: start a throwaway PostgreSQL
cluster under bench.guard, say where its postmaster is, then keep printing until the
test ends the run (a signal, or closing the pipe it reads)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.guard import ending_cleanly, stopped_at_exit
from tests.pgcluster import PgCluster, find_bindir


def main() -> None:
    bindir = find_bindir()
    assert bindir is not None
    with ending_cleanly(), stopped_at_exit(PgCluster(bindir)) as cluster:
        cluster.start()
        pid = (cluster.data / "postmaster.pid").read_text().split()[0]
        print(f"up {pid} {cluster.base}", flush=True)
        while True:  # a long benchmark that keeps reporting
            print("tick", flush=True)
            time.sleep(0.05)


if __name__ == "__main__":
    main()
