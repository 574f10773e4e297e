"""Knowledge-base search over 50,000 articles (mixed zh/en): storage, HTTP, and from a
keystroke to the hits painted in the real App.

Baselines in the same run: a naive scan (LIKE '%q%' over title and body, title hits
first) for the storage figures; GET /health over the same connection for the HTTP
floor; typing into the Scripts filter (redrawn locally, no network) for the App.

The seeded database is kept in bench/.cache (gitignored) and made once:
`agent-console seed --articles 50000` does the same.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import summary_ms, table

N_ARTICLES = 50_000
WITH_CONSOLE = os.environ.get("KB_CONSOLE", "1") != "0"  # KB_CONSOLE=0: the server alone
CACHE = Path(__file__).resolve().parent / ".cache"
QUERIES: list[tuple[str, str, dict[str, str]]] = [
    ("zh, 1 char, very common", "热", {}),
    ("zh, 1 char, rare", "修", {}),
    ("zh, 2 chars", "暖气", {}),
    ("zh, 6 chars, no title hit", "关闭户内阀门", {}),
    ("en, word", "radiator", {}),
    ("en, 2-letter prefix", "ra", {}),
    ("en, very common word", "the", {}),
    ("en, 2 words, no hit", "radiator valve", {}),
    ("zh, 2 words", "暖气片 排气", {}),
    ("zh + tag + hotline filters", "重启", {"tag": "宽带", "hotline": "10000"}),
]
TYPED = ["暖气不热", "radiator", "跑水", "the bill", "宽带故障"]


def seeded_db() -> Path:
    from agent_console.server.seed import seed_database
    from agent_console.server.storage.sqlite.schema import LATEST

    path = CACHE / f"kb-{N_ARTICLES}-schema{LATEST}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        print(f"seeding {N_ARTICLES:,} articles into {path} (once)…", file=sys.stderr)
        seed_database(str(tmp), articles=N_ARTICLES)
        os.replace(tmp, path)
    return path


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # warm the page cache and the statement cache
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def naive_search(db: object, query: str, limit: int = 20) -> list[object]:
    """The baseline: substring scan of every title and body, title hits first."""
    like = f"%{query}%"
    return db.execute(  # type: ignore[attr-defined]
        "SELECT id, title FROM kb_articles WHERE title LIKE ? OR body LIKE ? "
        "ORDER BY (title LIKE ?) DESC, updated_at DESC LIMIT ?",
        (like, like, like, limit),
    ).fetchall()


def storage_rows(path: Path, rounds: int = 40, naive_rounds: int = 5) -> list[list[object]]:
    from agent_console.server.storage import open_storage

    storage = open_storage(str(path))
    rows = []
    try:
        for label, q, filters in QUERIES:
            ours = summary_ms(timed(lambda q=q, f=filters: storage.search_kb(q, 20, **f), rounds))
            naive = summary_ms(timed(lambda q=q: naive_search(storage.db, q), naive_rounds))  # type: ignore[attr-defined]
            n = len(storage.search_kb(q, 20, **filters))
            rows.append(
                [label, q, n, ours["p50"], ours["p95"], naive["p50"], naive["p50"] / ours["p50"]]
            )
    finally:
        storage.close()
    return rows


HTTP_HEADERS = ["query", "q", "p50 ms", "p95 ms", "x /health (p50)", "x /health (p95)"]
HTTP_HEADERS += ["server CPU ms", "CPU x /health"]


def http_rows(url: str, token: str, pid: int, rounds: int = 40) -> list[list[object]]:
    """Each query kind's p50/p95 and its ratios to `GET /health`, timed one call after
    each search (the same moments of a shared machine), and the server's CPU per
    request over 4 x `rounds` more of each (bench.common.cpu_seconds)."""
    import httpx

    from bench.common import cpu_seconds

    def cpu_ms(call: Callable[[], object]) -> float:
        start = cpu_seconds(pid)
        for _ in range(rounds * 4):
            call()
        return (cpu_seconds(pid) - start) * 1000 / (rounds * 4)

    rows = []
    searched: list[list[float]] = []
    floor: list[float] = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for _label, q, filters in QUERIES:
            params = {"q": q, "limit": 20, **filters}
            client.get("/api/v1/kb/search", params=params)  # warm
            searched.append([])
            for _ in range(rounds):
                start = time.perf_counter()
                client.get("/api/v1/kb/search", params=params)
                searched[-1].append(time.perf_counter() - start)
                start = time.perf_counter()
                client.get("/api/v1/health")
                floor.append(time.perf_counter() - start)
        floor_cpu = cpu_ms(lambda: client.get("/api/v1/health"))
        cpu = [
            cpu_ms(lambda p={"q": q, "limit": 20, **f}: client.get("/api/v1/kb/search", params=p))
            for _label, q, f in QUERIES
        ]
    health = summary_ms(floor)
    rows.append(
        ["GET /health (HTTP floor)", "", health["p50"], health["p95"], 1.0, 1.0, floor_cpu, 1.0]
    )
    for (label, q, _filters), samples, c in zip(QUERIES, searched, cpu, strict=True):
        s = summary_ms(samples)
        p50, p95 = s["p50"] / health["p50"], s["p95"] / health["p95"]
        rows.append([label, q, s["p50"], s["p95"], p50, p95, c, c / floor_cpu])
    return rows


async def keystrokes(url: str, token: str, rounds: int = 2) -> tuple[list[float], list[float]]:
    """Seconds from a key reaching the App to the hits for that text painted; and the
    same for the Scripts filter, which redraws from memory (the App's own floor)."""
    from textual import events

    from agent_console.app import AgentConsole
    from agent_console.client import BackendClient
    from agent_console.config import parse
    from agent_console.screens.kb import KnowledgeScreen, Wanted
    from agent_console.screens.scripts import ScriptsScreen

    painted: list[tuple[Wanted, float]] = []
    original = KnowledgeScreen.show_hits

    def show_hits(self: KnowledgeScreen, want: Wanted, hits: list) -> None:  # type: ignore[type-arg]
        original(self, want, hits)
        self.call_after_refresh(lambda: painted.append((want, time.perf_counter())))

    KnowledgeScreen.show_hits = show_hits  # type: ignore[method-assign]
    filtered: list[float] = []
    original_show = ScriptsScreen.show_phrases

    def show_phrases(self: ScriptsScreen) -> None:
        original_show(self)
        self.call_after_refresh(lambda: filtered.append(time.perf_counter()))

    ScriptsScreen.show_phrases = show_phrases  # type: ignore[method-assign]
    settings = parse(f'[backend]\nurl = "{url}"\n', "<bench>")
    app = AgentConsole(settings, BackendClient(url, token), remember_login=False)
    kb_lat: list[float] = []
    local_lat: list[float] = []

    async def key(char: str) -> float:
        event = events.Key(char if char != " " else "space", char)
        start = time.perf_counter()
        app._driver.send_message(event)  # type: ignore[union-attr]
        return start

    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f4")
            while app.session.agent is None:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.3)
            for _ in range(rounds):
                for word in TYPED:
                    await pilot.press("escape")
                    await asyncio.sleep(0.1)
                    for i, char in enumerate(word):
                        text = word[: i + 1].strip()
                        start = await key(char)
                        deadline = start + 5
                        while not any(w.query == text and t > start for w, t in painted):
                            if time.perf_counter() > deadline:
                                raise RuntimeError(f"no hits painted for {text!r}")
                            await asyncio.sleep(0.0005)
                        done = min(t for w, t in painted if w.query == text and t > start)
                        kb_lat.append(done - start)
                        await asyncio.sleep(0.05)  # a fast typist: ~8 keys a second
            await pilot.press("f3")
            await asyncio.sleep(0.3)
            for _ in range(rounds):
                for word in ("结束", "稍等", "hold"):
                    await pilot.press("escape")
                    await asyncio.sleep(0.05)
                    for char in word:
                        start = await key(char)
                        while not any(t > start for t in filtered):
                            await asyncio.sleep(0.0005)
                        local_lat.append(min(t for t in filtered if t > start) - start)
                        await asyncio.sleep(0.05)
    finally:
        KnowledgeScreen.show_hits = original  # type: ignore[method-assign]
        ScriptsScreen.show_phrases = original_show  # type: ignore[method-assign]
    return kb_lat, local_lat


def run() -> str:
    from agent_console.backend_process import EmbeddedBackend

    path = seeded_db()
    out = []
    storage = storage_rows(path)
    out.append(
        f"Storage, in process ({N_ARTICLES:,} articles, limit 20; naive = LIKE scan):\n\n"
        + table(
            ["query", "q", "hits", "p50 ms", "p95 ms", "naive p50 ms", "x faster (p50)"],
            storage,
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            XDG_CACHE_HOME=f"{tmp}/cache", XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=tmp
        )
        db = Path(tmp) / "kb.db"
        shutil.copy(path, db)
        with EmbeddedBackend(db, demo_data=False) as backend:
            token = backend.login("1001", "demo")
            assert backend.process is not None
            http = http_rows(backend.url, token, backend.process.pid)
            kb_lat, local_lat = [float("nan")], [float("nan")]
            if WITH_CONSOLE:
                kb_lat, local_lat = asyncio.run(keystrokes(backend.url, token))
    out.append(
        "GET /api/v1/kb/search over loopback (persistent connection):\n\n"
        + table(HTTP_HEADERS, http)
    )
    k, loc = summary_ms(kb_lat), summary_ms(local_lat)
    out.append(
        "Keystroke to painted hits, real App over loopback "
        f"(typed: {', '.join(TYPED)}; one key every ~50 ms after the last paint):\n\n"
        + table(
            ["", "keys", "p50 ms", "p95 ms", "p99 ms", "x local (p50)"],
            [
                [
                    "Scripts filter (local redraw, baseline)",
                    loc["n"],
                    loc["p50"],
                    loc["p95"],
                    loc["p99"],
                    1.0,
                ],
                ["Knowledge search", k["n"], k["p50"], k["p95"], k["p99"], k["p50"] / loc["p50"]],
            ],
        )
    )
    return "\n\n".join(out)


if __name__ == "__main__":
    print(run())
