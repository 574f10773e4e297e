"""bench/centre's accounting: CPU per side from /proc, and the tables of a run."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from bench.centre_plan import busy_delta, cpu_ticks, descendants, stat_fields
from bench.common import summary_ms, table
from bench.lookup_data import CALLERS

HZ = os.sysconf("SC_CLK_TCK")
ENDPOINTS = [
    "GET /callers?q=",
    "GET /callers/{id}",
    "POST /tickets",
    "GET /events (to hello)",
    "POST /auth/login",
]


def _label(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    words = raw.replace(b"\0", b" ").decode(errors="replace").split()
    words = [w.rsplit("/", 1)[-1] if w.startswith("/") else w for w in words]
    return " ".join(words)[:60] or "?"


def cpu_snapshot() -> dict[str, Any]:
    """Every process's (ppid, cpu ticks, command) and the machine's /proc/stat cpu line."""
    procs: dict[int, tuple[int, int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid, fields = stat_fields(Path(f"/proc/{entry}/stat").read_text())
        except (OSError, ValueError):
            continue
        procs[int(entry)] = (ppid, cpu_ticks(fields), _label(entry))
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return {"procs": procs, "stat": cpu, "load": os.getloadavg()[0]}


def cpu_split(
    before: dict[str, Any], after: dict[str, Any], groups: dict[str, list[int]]
) -> dict[str, Any]:
    """Core-seconds each group of process trees used between two snapshots, what the
    rest of the machine used (and its busiest commands), and the machine's total."""
    parents = {pid: p[0] for p in (before["procs"], after["procs"]) for pid, p in p.items()}
    members = {name: set().union(*(descendants(r, parents) for r in roots)) if roots else set()
               for name, roots in groups.items()}  # fmt: skip
    mine = {os.getpid()}
    used: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for pid, (_ppid, ticks, label) in after["procs"].items():
        start = before["procs"].get(pid)
        delta = ticks - (start[1] if start else 0)
        if delta <= 0:
            continue
        group = next((g for g, pids in members.items() if pid in pids), None)
        if group:
            used[group] += delta
        elif pid not in mine:
            others[label] += delta
    out: dict[str, Any] = {g: used[g] / HZ for g in groups}
    busy, total = busy_delta(before["stat"], after["stat"])
    # Processes that lived and died inside the window are in no snapshot: the rest of
    # the machine is what /proc/stat counted busy beyond the groups.
    out["others"] = max(0.0, busy / HZ - sum(out.values()))
    out["top_others"] = [(label, t / HZ) for label, t in others.most_common(3)]
    out["busy"] = busy / HZ
    out["capacity"] = total / HZ
    out["load"] = before["load"]
    return out


def _merge(outs: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "latency": {},
        "errors": Counter(),
        "sse_drops": Counter(),
        "partial_kinds": Counter(),
        "partial_queries": [],
    }
    for o in outs:
        for k, v in o["latency"].items():
            merged["latency"].setdefault(k, []).extend(v)
        merged["errors"].update(o["errors"])
        merged["sse_drops"].update(o["sse_drops"])
        merged["partial_kinds"].update(o.get("partial_kinds", {}))
        merged["partial_queries"].extend(o.get("partial_queries", []))
        for k in ("lag", "loop_lag", "tickets_ok", "tickets_unsure"):
            merged.setdefault(k, []).extend(o[k])
        for k in ("overruns", "skipped", "partial", "no_hit", "turns", "searches", "seats"):
            merged[k] = merged.get(k, 0) + o[k]
        for k in ("ticket_retries", "replays", "sse_events", "cpu"):
            merged[k] = merged.get(k, 0) + o[k]
        merged["tail"] = max(merged.get("tail", 0.0), o["tail"])
    return merged


def tickets_check(ok: list[str], unsure: list[str], found: dict[str, int]) -> dict[str, int]:
    """Expected = keys the drivers saw confirmed. Lost: confirmed, not in the database;
    doubled: a key with more than one ticket; unexpected: a ticket for a key the drivers
    never saw confirmed (unsure keys: the reply was lost, so either outcome is allowed)."""
    confirmed = set(ok)
    return {
        "expected": len(confirmed),
        "found": sum(found.values()),
        "lost": sum(1 for k in confirmed if k not in found),
        "doubled": sum(n - 1 for n in found.values() if n > 1),
        "unexpected": sum(1 for k in found if k not in confirmed and k not in set(unsure)),
        "unsure": len(unsure),
    }


def _name(r: dict[str, Any]) -> str:
    engine = "SQLite" if r["engine"] == "sqlite" else "PostgreSQL"
    name = f"{engine}, {r['workers']} worker{'s' if r['workers'] > 1 else ''}, {r['seats']} seats"
    return f"{name}, {r['label']}" if r.get("label") else name


def summarise(results: list[dict[str, Any]], duration: float, notes: list[str]) -> str:
    rows, runs, machine = [], [], []
    for r in results:
        m = _merge(r["outs"])
        for ep in ENDPOINTS:
            samples = m["latency"].get(ep, [])
            if not samples:
                continue
            s = summary_ms(samples)
            prefix = ep.split(" (")[0] + ":"
            errs = sum(n for k, n in m["errors"].items() if k.startswith(prefix))
            worst = max(samples) * 1000
            rows.append([_name(r), ep, s["n"], s["p50"], s["p95"], s["p99"], worst, errs])
        t = tickets_check(m["tickets_ok"], m["tickets_unsure"], r["found"])
        requests = sum(len(v) for k, v in m["latency"].items() if k != "POST /auth/login")
        lag, loop = summary_ms(m["lag"]), summary_ms(m["loop_lag"])
        cpu = r["cpu"]
        runs.append([
            _name(r),
            f"{requests:,} ({requests / r['window']:.0f}/s)",
            sum(m["errors"].values()),
            sum(m["sse_drops"].values()),
            f"{t['expected']} / {t['found']}",
            f"{t['doubled']} / {t['lost']} / {t['unexpected']} / {t['unsure']}",
            f"{lag['p95']:.0f} / {lag['p99']:.0f} / {m['overruns']} / {m['skipped']}",
            f"{loop['p99']:.0f}",
            " / ".join(f"{cpu[k]:.0f}" for k in ("server", "postgres", "drivers", "others")),
            f"{1000 * (cpu['server'] + cpu['postgres']) / max(requests, 1):.1f}",
            f"{100 * cpu['busy'] / max(cpu['capacity'], 1e-9):.0f}%",
        ])  # fmt: skip
        errors = ", ".join(f"{k} x{n}" for k, n in m["errors"].most_common()) or "none"
        drops = ", ".join(f"{k} x{n}" for k, n in m["sse_drops"].items()) or "none"
        top = "; ".join(f"{label} {s:.0f} s" for label, s in cpu["top_others"]) or "nothing"
        kinds = m["partial_kinds"]
        partial_by_kind = ", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "none"
        shown = ", ".join(dict.fromkeys(m["partial_queries"][:12])) or "none"
        machine.append(
            f"- {_name(r)}: window {r['window']:.1f} s, {m['seats']} seats signed in in "
            f"{r['sign_in']:.1f} s; {m['turns']:,} calls, {m['searches']:,} searches "
            f"({m['searches'] / max(m['turns'], 1):.1f}/call, {m['partial']} partial, "
            f"{m['no_hit']} calls without a hit; partial by kind: {partial_by_kind}; "
            f"e.g. {shown}), {m['sse_events']:,} events read; errors: "
            f"{errors}; streams dropped: {drops}; ticket retries {m['ticket_retries']}, "
            f"replays {m['replays']}; driver CPU (its own count) {m['cpu']:.0f} s; "
            f"load average before {cpu['load']:.1f}; busiest other processes: {top}"
        )
    head = ["run", "endpoint", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]
    run_head = [
        "run",
        "requests",
        "errors",
        "SSE dropped",
        "tickets expected / in DB",
        "doubled / lost / unexpected / unsure",
        "driver turn lag p95 / p99 ms / late (seat busy) / not started",
        "driver loop lag p99 ms",
        "CPU s: server / PG / driver / others",
        "server+PG CPU ms per request",
        "machine busy",
    ]
    return "\n\n".join(
        [
            f"{duration:g} s per run; {CALLERS:,} callers; latencies seen by the driver (ms)",
            table(head, rows),
            table(run_head, runs),
            "\n".join(machine),
            *notes,
        ]
    )
