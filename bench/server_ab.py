"""The server alone, two source trees alternated in one run: lookup (1,000,000 callers)
and knowledge-base searches against `GET /health`, before and after a change.

`python -m bench server_ab --trees before=../wt-main,after=. --rounds 2`: each round
starts the server from each tree in turn (its code first on the path) on the same
databases (bench/lookup's and bench/kb's, seeded once), times every query kind with
`GET /health` one call after each query (the same moments of a shared machine), and
reads the server's CPU per request from its threads' schedstat over the same queries
sent again. Samples of a tree are pooled over the rounds; the ratios to /health are
what compares across the load of a shared machine, the CPU columns do not count the
wait for a core at all.

A tree with a schema step the other does not know refuses the database the other
upgraded: give it its own copy of the same data, made before the step
(`--lookup-db before=bench/.cache/lookup-1000000-100000-schema13.db --kb-db
before=bench/.cache/kb-50000-schema13.db`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.centre import parse_trees
from bench.common import summary_ms, table

UNLIMITED = ["--search-per-minute", "1000000", "--search-burst", "1000000"]


@contextmanager
def server_of(tree: Path, db: Path) -> Any:
    """The backend started from `tree`'s code (`-m` runs from the working directory)."""
    from agent_console.backend_process import EmbeddedBackend

    here, path = Path.cwd(), os.environ.get("PYTHONPATH")
    os.chdir(tree)
    os.environ["PYTHONPATH"] = str(tree)
    try:
        backend = EmbeddedBackend(db, demo_data=False, extra_args=UNLIMITED).__enter__()
    finally:
        os.chdir(here)
        if path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = path
    try:
        yield backend
    finally:
        backend.__exit__(None, None, None)


def lookup_pass(url: str, token: str, pid: int, kinds: list[Any], per_kind: int) -> dict:
    from bench.lookup import http_times

    return http_times(url, token, kinds, per_kind, pid)


def kb_pass(url: str, token: str, pid: int, rounds: int) -> dict[str, list[float]]:
    """Per KB query: latencies, /health after each, and CPU seconds per request."""
    import httpx

    from bench.common import cpu_seconds
    from bench.kb import QUERIES

    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}) as c:
        start = cpu_seconds(pid)
        for _ in range(rounds):
            c.get("/health")
        out["cpu:health"] = [(cpu_seconds(pid) - start) / rounds]
        for label, q, filters in QUERIES:
            params = {"q": q, "limit": 20, **filters}
            c.get("/kb/search", params=params)
            for _ in range(rounds):
                started = time.perf_counter()
                c.get("/kb/search", params=params).raise_for_status()
                out.setdefault(label, []).append(time.perf_counter() - started)
                started = time.perf_counter()
                c.get("/health")
                out.setdefault("health", []).append(time.perf_counter() - started)
            start = cpu_seconds(pid)
            for _ in range(rounds):
                c.get("/kb/search", params=params)
            out[f"cpu:{label}"] = [(cpu_seconds(pid) - start) / rounds]
    return out


def pooled(passes: list[dict[str, list[float]]]) -> dict[str, list[float]]:
    """Samples of several passes of one tree together (CPU: one figure per pass)."""
    out: dict[str, list[float]] = {}
    for p in passes:
        for key, values in p.items():
            out.setdefault(key, []).extend(values)
    return out


def ratio_rows(labels: list[str], by_tree: dict[str, dict[str, list[float]]]) -> list[list[object]]:
    """One row per kind: for each tree, p95 ms, p95 / health p95, CPU ms, CPU / health CPU
    (CPU the mean over the passes)."""
    rows: list[list[object]] = []
    for label in ["health", *labels]:
        row: list[object] = ["GET /health (baseline)" if label == "health" else label]
        for samples in by_tree.values():
            health = summary_ms(samples["health"])["p95"]
            health_cpu = 1000 * sum(samples["cpu:health"]) / len(samples["cpu:health"])
            p95 = summary_ms(samples[label])["p95"]
            cpu = 1000 * sum(samples[f"cpu:{label}"]) / len(samples[f"cpu:{label}"])
            row += [p95, p95 / health, cpu, cpu / health_cpu]
        rows.append(row)
    return rows


def headers(trees: list[str]) -> list[str]:
    out = ["query kind"]
    for t in trees:
        out += [f"{t}: p95 ms", f"{t}: p95 x health", f"{t}: CPU ms", f"{t}: CPU x health"]
    return out


def run(
    trees: dict[str, Path] | None = None,
    rounds: int = 1,
    per_kind: int = 100,
    kb_rounds: int = 40,
    dbs: dict[str, dict[str, Path]] | None = None,
) -> str:
    """The tables; without `trees`, this tree alone (`python -m bench server_ab`).
    `dbs` gives a tree ("lookup"/"kb" -> label -> path) its own copy of a database."""
    from bench.centre_setup import ROOT
    from bench.kb import QUERIES, seeded_db

    trees = trees or {"this tree": ROOT}
    from bench.lookup import ensure_database, sample_kinds

    lookup_db, kb_db = ensure_database(), seeded_db()
    own = dbs or {}
    kinds = sample_kinds(lookup_db, per_kind)
    lookup: dict[str, list[dict]] = {t: [] for t in trees}
    kb: dict[str, list[dict]] = {t: [] for t in trees}
    loads: list[str] = []
    for n in range(rounds):
        for label, tree in trees.items():
            loads.append(f"{label} {n + 1}: {os.getloadavg()[0]:.1f}")
            print(f"round {n + 1}, {label} ({tree})...", file=sys.stderr, flush=True)
            with server_of(tree, own.get("lookup", {}).get(label, lookup_db)) as b:
                token = b.login("1001", "demo")
                lookup[label].append(lookup_pass(b.url, token, b.process.pid, kinds, per_kind))
            with server_of(tree, own.get("kb", {}).get(label, kb_db)) as b:
                token = b.login("1001", "demo")
                kb[label].append(kb_pass(b.url, token, b.process.pid, kb_rounds))
    lookup_rows = ratio_rows([k.key for k in kinds], {t: pooled(p) for t, p in lookup.items()})
    for row, kind in zip(lookup_rows[1:], kinds, strict=True):
        row[0] = kind.label
    kb_rows = ratio_rows([q[0] for q in QUERIES], {t: pooled(p) for t, p in kb.items()})
    return "\n\n".join(
        [
            f"load average at each pass's start: {', '.join(loads)}",
            f"Lookup, {per_kind} queries per kind per pass, {rounds} pass(es) per tree:",
            table(headers(list(trees)), lookup_rows),
            f"Knowledge base, {kb_rounds} searches per query per pass:",
            table(headers(list(trees)), kb_rows),
        ]
    )


def label_paths(text: str) -> dict[str, Path]:
    """`before=PATH,...` -> {label: path}, each an existing file."""
    out: dict[str, Path] = {}
    for part in filter(None, text.split(",")):
        label, _, path = part.partition("=")
        if not Path(path).is_file():
            raise SystemExit(f"{part!r} is not LABEL=PATH of a database file")
        out[label] = Path(path).resolve()
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench server_ab",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--trees", default="", help="LABEL=PATH,... source trees, in turn")
    p.add_argument("--rounds", type=int, default=2, help="passes per tree, alternated")
    p.add_argument("--per-kind", type=int, default=100, help="lookup queries per kind")
    p.add_argument("--kb-rounds", type=int, default=40, help="KB searches per query")
    p.add_argument("--lookup-db", default="", help="LABEL=PATH,...: a tree's own lookup DB")
    p.add_argument("--kb-db", default="", help="LABEL=PATH,...: a tree's own KB DB")
    a = p.parse_args(argv)
    from bench.common import machine

    print(f"machine: {machine()}\ndate: {time.strftime('%Y-%m-%d %H:%M')}\n")
    trees = parse_trees(a.trees) if a.trees else None
    dbs = {"lookup": label_paths(a.lookup_db), "kb": label_paths(a.kb_db)}
    print(run(trees, a.rounds, a.per_kind, a.kb_rounds, dbs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
