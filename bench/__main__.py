"""`python -m bench [NAME ...]` runs benchmarks and prints their tables;
`python -m bench NAME --help` (or `python -m bench --help`) prints help and runs nothing.

A benchmark with options of its own (`centre`) takes them after its name:
`python -m bench centre --seats 400 --duration 45`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from types import ModuleType

from bench.common import machine
from bench.guard import ending_cleanly

# The default set (`python -m bench`, `make bench`), then the ones run by name only.
BENCHMARKS = ["startup", "lookup", "kb", "centre"]
BY_NAME_ONLY = ["engines", "events", "board", "keys", "server_ab", "probes_ab"]


def _first_line(module: ModuleType) -> str:
    return (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""


def _parser() -> argparse.ArgumentParser:
    names = BENCHMARKS + BY_NAME_ONLY
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="benchmarks: " + ", ".join(names) + f" (default: {' '.join(BENCHMARKS)})",
    )
    p.add_argument("names", nargs="*", metavar="NAME")
    return p


def main(argv: list[str]) -> int:
    # `NAME --opt ...`: the benchmark's own command line (its --help runs nothing).
    if argv and argv[0] in BENCHMARKS + BY_NAME_ONLY and any(a.startswith("-") for a in argv):
        module = importlib.import_module(f"bench.{argv[0]}")
        own_main = getattr(module, "main", None)
        if own_main is not None:
            return int(own_main(argv[1:]))
        argparse.ArgumentParser(
            prog=f"python -m bench {argv[0]}", description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        ).parse_args(argv[1:])  # fmt: skip
        argv = argv[:1]
    parser = _parser()
    names = parser.parse_args(argv).names or BENCHMARKS
    unknown = [n for n in names if n not in BENCHMARKS + BY_NAME_ONLY]
    if unknown:
        parser.error(f"no benchmark called {', '.join(unknown)}")
    with ending_cleanly():
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
