"""`agent-console web` in a real headless Chromium: the agent at home signs in on the
console's own sign-in screen, looks a caller up and sees the card; every browser has a
console process of its own that ends with it; no token reaches the page; a page on
another site cannot open a console; nothing outlives the web server, even killed.

Needs Debian's `chromium` (Playwright's own browser download needs the internet).
Without it the browser tests skip, unless AGENT_CONSOLE_REQUIRE_BROWSER=1 (.ci/run
sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agent_console.backend_process import EmbeddedBackend, pid_alive
from agent_console.web_seat import exposure_warning, is_loopback

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ANNA_ACCOUNT = "4718085468"  # demo caller Anna Schmidt (server/demo_data/callers.toml)
WAIT_MS = 30_000

# textual.js keeps its xterm.js Terminal in `this.terminal` and draws on a canvas, so
# the page has no text to query. This catches that Terminal as it is assigned, and
# SCREEN reads its visible rows through xterm.js's public buffer API: exactly what the
# agent sees.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal",
      {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) window.__seatTerminal = value;
  },
});
"""
SCREEN = """() => {
  const t = window.__seatTerminal;
  if (!t) return "";
  const b = t.buffer.active, rows = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def need_browser() -> str:
    """The system Chromium's path, or skip (fail when the environment requires it)."""
    missing = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package is not installed"
    path = chromium_path()
    if not missing and path is None:
        missing = "no system chromium (apt-get install chromium)"
    if missing:
        if os.environ.get("AGENT_CONSOLE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"AGENT_CONSOLE_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    assert path is not None
    return path


class WebSeat:
    """`agent-console web` as its own process group (its consoles are in it too)."""

    def __init__(self, args: list[str], workdir: Path) -> None:
        self.log = workdir / "web.log"
        env = {**os.environ, "TERM": "xterm-256color"}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "agent_console", "web", "--port", "0", *args],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
            )
        self.url = self._wait_url()

    def _wait_url(self, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_text(errors="replace")
            if found := re.search(r"web seat on (http://\S+)", text):
                return found.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"the web seat did not start:\n{self.log.read_text()}")

    def children(self, needle: str = "agent_console.cli.web_session") -> list[int]:
        """Live child processes of the web server whose command line has `needle`."""
        found = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):
            try:
                pids = (task / "children").read_text().split()
            except OSError:
                continue
            for pid in pids:
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                if needle.encode() in cmdline:
                    found.append(int(pid))
        return found

    def stop(self) -> None:
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(grace)
                break
            except subprocess.TimeoutExpired:
                continue
        self.proc.wait()


def wait_until(check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def gone(pid: int) -> bool:
    if not pid_alive(pid):
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[str], Page]]:
    contexts = []

    def opener(url: str) -> Page:
        context = browser.new_context(viewport={"width": 1100, "height": 700})
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(CATCH_TERMINAL)
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


def screen_text(page: Page) -> str:
    return str(page.evaluate(SCREEN))


def wait_text(page: Page, *texts: str) -> None:
    """Wait until the terminal in the page shows every one of `texts`."""
    check = " && ".join(f"s.includes({t!r})" for t in texts)
    try:
        page.wait_for_function(
            f"(() => {{ const s = ({SCREEN})(); return {check}; }})()", timeout=WAIT_MS
        )
    except Exception as exc:
        raise AssertionError(f"{texts} not on screen:\n{screen_text(page)}") from exc


def focus_terminal(page: Page) -> None:
    """Click into the terminal and wait for the console to show its text cursor: until
    the browser's focus has reached the console, Textual has no focused widget and
    keys go astray (a person's click-then-type is slower than this)."""
    page.click(".xterm-screen")
    wait_text(page, "▌")


@pytest.fixture
def web_seat(server: EmbeddedBackend, tmp_path: Path) -> Iterator[WebSeat]:
    seat = WebSeat(["--backend", server.url], tmp_path)
    yield seat
    seat.stop()


def test_an_agent_at_home_signs_in_looks_up_a_caller_and_sees_the_card(
    web_seat: WebSeat, open_page: Callable[[str], Page]
) -> None:
    page = open_page(web_seat.url)
    wait_text(page, "Agent number", "Password")  # the console's own sign-in screen
    focus_terminal(page)
    page.keyboard.type("1001")
    page.keyboard.press("Enter")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    wait_text(page, "1001", "Ready")
    page.keyboard.press("F2")
    page.keyboard.type(ANNA_ACCOUNT)
    page.keyboard.press("Enter")
    wait_text(page, "Anna Schmidt", f"Account: {ANNA_ACCOUNT}", "Notes: German")
    assert len(web_seat.children()) == 1

    # A second browser gets a console of its own, not the first agent's session.
    other = open_page(web_seat.url)
    wait_text(other, "Agent number")
    wait_until(lambda: len(web_seat.children()) == 2, "a second console runs")
    assert "Anna Schmidt" in screen_text(page)

    # Closing the tab ends that browser's console.
    other.context.close()
    wait_until(lambda: len(web_seat.children()) == 1, "the closed tab's console exits")


def test_a_page_on_another_site_cannot_open_a_console(web_seat: WebSeat) -> None:
    import aiohttp

    async def handshake(origin: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                ws = await session.ws_connect(f"{web_seat.url}/ws", origin=origin)
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
            await ws.close()
            return 101

    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, handshake("http://evil.example")).result() == 403
        assert pool.submit(asyncio.run, handshake(web_seat.url)).result() == 101


def test_demo_seat_is_signed_in_keeps_the_token_out_of_the_page_and_dies_with_the_server(
    tmp_path: Path, open_page: Callable[[str], Page]
) -> None:
    seat = WebSeat(["--demo", "--db", str(tmp_path / "demo.db")], tmp_path)
    backend_pids: list[int] = []
    try:
        page = open_page(seat.url)
        wait_text(page, "1001", "Ready")  # signed in as the demo agent, no sign-in screen
        (console,) = seat.children()
        environ = Path(f"/proc/{console}/environ").read_bytes().split(b"\0")
        token = next(v for v in environ if v.startswith(b"AGENT_CONSOLE_TOKEN="))
        token_text = token.split(b"=", 1)[1].decode()
        assert len(token_text) >= 16
        assert token_text not in page.content()
        assert token_text not in page.url
        backend_pids = seat.children("agent_console.server.runner")
        assert len(backend_pids) == 1

        # Killed outright, no handler runs: its console and the backend still end.
        os.kill(seat.proc.pid, signal.SIGKILL)
        seat.proc.wait(10)
        wait_until(lambda: gone(console), "the console exits with the web server")
        wait_until(lambda: all(gone(p) for p in backend_pids), "the demo backend exits")
    finally:
        seat.stop()
        for pid in backend_pids:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("seat.example.org", False),
    ],
)
def test_only_loopback_serves_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = exposure_warning(host)
    assert (warning == "") is loopback
    if not loopback:
        assert host in warning
        assert "TLS" in warning
