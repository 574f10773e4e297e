"""Start-up: from exec to the first screen an agent can type into, in a real terminal.

Baseline in the same run: a bare Textual app that paints one line. The console is
measured until the lookup box is painted (the agent can type; keys typed earlier are
buffered by the terminal), and until the status bar shows the agent's number (after
the token was checked with the backend); `agent-console demo` until the agent's
number shows too, its backend started by it over an existing demo database (the
first, untimed run makes it), as an agent's second demo finds it.

Bytecode is cached as on an installed console (pip writes .pyc files): the runs use
their own PYTHONPYCACHEPREFIX, warmed by one untimed run of each command, even where
PYTHONDONTWRITEBYTECODE is set (it would make every run compile the console's sources).
The CPU column (the process's user + system time when the screen is seen, from
/proc, in 10 ms ticks) moves less than wall time when the machine is shared.

`--trees before=PATH,after=.`: an A/B instead, the console and the demo (agent shown)
from each source tree, alternated round by round with the bare app.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import summary_ms, table

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-READY")
Bare().run()
"""


#: The console as an agent's `agent-console` command starts it: pip's entry script,
#: word for word (`python -m agent_console` would add runpy's ~3 ms, which no seat pays).
ENTRY = """
import re
import sys
from agent_console.__main__ import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc; nan elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_until(
    args: list[str],
    needle: bytes,
    env: dict[str, str],
    timeout: float = 90,
    cwd: Path | None = None,
) -> tuple[float, float]:
    """Wall seconds from exec until needle is on the screen, and the CPU seconds used."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd)
    os.close(slave)
    out = b""
    try:
        while needle not in out:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{needle!r} not seen: {out[-500:]!r}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                out += os.read(master, 65536)
        return time.perf_counter() - start, cpu_seconds(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


#: A character typed into the lookup box, found in the terminal's output once painted
#: (in no placeholder, label or demo name).
TYPED = "鑫"
#: How long after the agent shows the console counts as settled (every screen mounted).
SETTLED_S = 8.0


def key_echo(
    args: list[str], needle: bytes, env: dict[str, str], timeout: float = 90
) -> tuple[float, float]:
    """Seconds from a key typed the moment `needle` shows until it is painted, and the
    same for a second key typed SETTLED_S later (the baseline: the console idle)."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""

    def until(seen: bytes, after: int) -> None:
        nonlocal out
        while seen not in out[after:]:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{seen!r} not seen: {out[-500:]!r}")
            ready, _, _ = select.select([master], [], [], 0.02)
            if ready:
                out += os.read(master, 65536)

    try:
        until(needle, 0)
        typed = TYPED.encode()
        mark, t0 = len(out), time.perf_counter()
        os.write(master, typed)
        until(typed, mark)
        first = time.perf_counter() - t0
        time.sleep(SETTLED_S)
        while select.select([master], [], [], 0)[0]:
            out += os.read(master, 65536)
        mark, t0 = len(out), time.perf_counter()
        os.write(master, typed)
        until(typed * 2, mark)  # the box now holds the key twice
        return first, time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


@contextmanager
def console_env() -> Iterator[tuple[str, dict[str, str]]]:
    """A scratch directory and the environment every timed command runs in: a 120x40
    terminal, a running backend with agent 1001's token, config and data in the scratch
    directory, bytecode written (as an installed console has it)."""
    from agent_console.backend_process import EmbeddedBackend

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedBackend(Path(tmp) / "demo.db") as backend:
        token = backend.login("1001", "demo")
        env.update(
            AGENT_CONSOLE_BACKEND=backend.url,
            AGENT_CONSOLE_TOKEN=token,
            XDG_CONFIG_HOME=tmp,
            XDG_DATA_HOME=tmp,
            PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
        )
        yield tmp, env


def run(rounds: int = 7) -> str:
    with console_env() as (tmp, env):
        bare_app = [sys.executable, "-c", BARE_APP]
        console = [sys.executable, "-c", ENTRY]
        demo = [*console, "demo", "--db", str(Path(tmp) / "own-demo.db")]
        # "1001 " is the status bar's "1001 <name>": never in a URL (port, token) or a
        # placeholder before it.
        kinds = [
            (bare_app, b"BARE-READY"),
            (console, b"last 4 digits"),
            (console, b"1001 "),
            (demo, b"1001 "),
        ]
        for args, needle in kinds:  # compile and cache the bytecode, seed the demo, untimed
            time_until(args, needle, env, timeout=300)
        runs: list[list[tuple[float, float]]] = [[] for _ in kinds]
        echoes: list[tuple[float, float]] = []
        for _ in range(rounds):
            for samples, (args, needle) in zip(runs, kinds, strict=True):
                samples.append(time_until(args, needle, env))
            echoes.append(key_echo(console, b"1001 ", env))
    labels = [
        "bare Textual app, first paint",
        "agent-console, lookup box painted",
        "agent-console, agent shown (after /auth/me)",
        "agent-console demo, agent shown (backend started)",
    ]
    wall = [summary_ms([w for w, _ in samples]) for samples in runs]
    cpu = [summary_ms([c for _, c in samples]) for samples in runs]
    rows = [
        [label, w["p50"], w["p95"], w["p50"] / wall[0]["p50"], c["p50"], c["p50"] / cpu[0]["p50"]]
        for label, w, c in zip(labels, wall, cpu, strict=True)
    ]
    headers = ["start-up (exec to screen)", "p50 ms", "p95 ms", "x bare (p50)", "CPU ms (p50)"]
    first = summary_ms([f for f, _ in echoes])
    settled = summary_ms([b for _, b in echoes])
    keys = table(
        ["key typed in the lookup box -> painted", "p50 ms", "p95 ms", "x settled (p50)"],
        [
            ["as the agent shows (agent-console)", first["p50"], first["p95"],
             first["p50"] / settled["p50"]],
            [f"{SETTLED_S:.0f} s later (settled: the baseline)", settled["p50"],
             settled["p95"], 1.0],
        ],
    )  # fmt: skip
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    return (
        table([*headers, "CPU x bare"], rows)
        + "\n\n"
        + keys
        + f"\n{rounds} rounds; load average at the end: {' '.join(load) or 'unknown'}. "
        + "Demo CPU is the console's own (its backend is another process)."
    )


def run_trees(trees: dict[str, Path], rounds: int) -> str:
    """The console and the demo (agent shown) from each source tree, alternated in every
    round with the bare app: the entry script imports the tree on PYTHONPATH, so each
    runs in its tree (the demo's backend too), its bytecode cached apart."""
    with console_env() as (tmp, env):
        bare_env = {**env, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache" / "bare")}
        kinds: list[tuple[str, list[str], bytes, dict[str, str], Path | None]] = [
            ("bare Textual app, first paint", [sys.executable, "-c", BARE_APP], b"BARE-READY",
             bare_env, Path(tmp)),
        ]  # fmt: skip
        console = [sys.executable, "-c", ENTRY]
        for label, tree in trees.items():
            tree_env = {
                **env,
                "PYTHONPATH": str(tree),
                "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache" / label),
            }
            demo_db = str(Path(tmp) / f"demo-{label}.db")
            kinds += [
                (f"{label}: console, agent shown", console, b"1001 ", tree_env, tree),
                (f"{label}: demo, agent shown", [*console, "demo", "--db", demo_db], b"1001 ",
                 tree_env, tree),
            ]  # fmt: skip
        for _label, args, needle, kind_env, cwd in kinds:  # bytecode, demo databases: untimed
            time_until(args, needle, kind_env, timeout=300, cwd=cwd)
        runs: list[list[tuple[float, float]]] = [[] for _ in kinds]
        for _ in range(rounds):
            for samples, (_label, args, needle, kind_env, cwd) in zip(runs, kinds, strict=True):
                samples.append(time_until(args, needle, kind_env, cwd=cwd))
    wall = [summary_ms([w for w, _ in samples]) for samples in runs]
    cpu = [summary_ms([c for _, c in samples]) for samples in runs]
    rows = [
        [kind[0], w["p50"], w["p95"], w["p50"] / wall[0]["p50"], c["p50"], c["p50"] / cpu[0]["p50"]]
        for kind, w, c in zip(kinds, wall, cpu, strict=True)
    ]
    headers = ["start-up (exec to screen)", "p50 ms", "p95 ms", "x bare (p50)", "CPU ms (p50)"]
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    return (
        table([*headers, "CPU x bare"], rows)
        + f"\n{rounds} rounds; load average at the end: {' '.join(load) or 'unknown'}."
    )


def main(argv: list[str]) -> int:
    """`python -m bench startup --rounds N`."""
    import argparse

    from bench.common import machine

    parser = argparse.ArgumentParser(prog="python -m bench startup", description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument(
        "--trees",
        default="",
        metavar="LABEL=PATH,...",
        help="A/B: the console and the demo from each source tree (e.g. before=../main,after=.)",
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}\ndate: {time.strftime('%Y-%m-%d %H:%M')}\n")
    if args.trees:
        from bench.centre import parse_trees

        print(run_trees(parse_trees(args.trees), args.rounds))
    else:
        print(run(args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
