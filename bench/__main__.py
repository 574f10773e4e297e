"""`python -m bench [name ...]`: run benchmarks and print their tables."""

from __future__ import annotations

import importlib
import sys
import time

from bench.common import machine

BENCHMARKS = ["startup", "lookup", "kb", "centre"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}\n")
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"## {name}\n")
        print(module.run())
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
