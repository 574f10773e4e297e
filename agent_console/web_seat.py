"""`agent-console web`: the console in a browser, for agents working from home.

textual-serve runs one console process per browser connection (its websocket), so
every agent has a console of their own, exactly the one the seat terminal shows. The
page carries no secret: a session's console signs in on its own sign-in screen, or,
for `--demo` only, with the demo agent's token handed over in its environment. A
session's console never reads or writes the keyring of the account the server runs
as: otherwise every browser would be signed in as whoever stored a token there.

Each browser's console is `python -m agent_console.cli.web_session` (session_command).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web

ENV_TOKEN = "AGENT_CONSOLE_TOKEN"  # same name as agent_console.auth.ENV_TOKEN
ENV_PARENT = "AGENT_CONSOLE_WEB_PARENT"  # the web server's pid, for the orphan check
DEFAULT_PORT = 8780


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str:
    """What to tell the operator when the seat listens beyond this machine ('' if not)."""
    if is_loopback(host):
        return ""
    return (
        f"warning: serving the console on {host}, reachable from other machines, over "
        "plain HTTP: every keystroke, password and caller's data would cross the network "
        "unencrypted. Keep the default 127.0.0.1 and put a TLS reverse proxy in front "
        "(then pass --public-url https://...), or use a VPN."
    )


def session_command(config: str | None, wallboard: bool = False) -> str:
    """The shell command textual-serve runs for each browser: the session's console
    (cli/web_session.py), `exec`ed so the console is the web server's own child
    (signals and clean-up reach it); `wallboard`: the read-only wall board instead."""
    args = [sys.executable, "-m", "agent_console.cli.web_session"]
    if config:
        args += ["--config", str(Path(config).expanduser().resolve())]
    if wallboard:
        args.append("--wallboard")
    return "exec " + shlex.join(args)


def session_environment(backend_url: str | None, token: str | None) -> None:
    """Set what every session's console inherits (textual-serve copies os.environ).

    The token is dropped unless given: a token in the server's own environment would
    sign every browser in as that agent.
    """
    os.environ.pop(ENV_TOKEN, None)
    if token:
        os.environ[ENV_TOKEN] = token
    if backend_url:
        os.environ["AGENT_CONSOLE_BACKEND"] = backend_url
    os.environ[ENV_PARENT] = str(os.getpid())


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind before serving, so `--port 0` works and the printed address is the real one."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = info[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def default_public_url(host: str, port: int) -> str:
    """The address the page tells the browser to open its websocket on."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def serve(
    host: str,
    port: int,
    command: str,
    public_url: str | None = None,
) -> None:
    """Serve the console until SIGINT/SIGTERM. Needs textual-serve (imported here only)."""
    from aiohttp import web
    from textual_serve.server import Server

    sock = listening_socket(host, port)
    actual_port = sock.getsockname()[1]
    url = public_url or default_public_url(host, actual_port)

    class SeatServer(Server):
        """textual-serve's server on our socket, refusing websockets from other sites."""

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # A page on another site could open ws://127.0.0.1:PORT/ws from the agent's
            # browser (websockets ignore CORS) and drive a console; browsers always send
            # Origin, so a foreign one is refused.
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() != origin_of(self.public_url):
                raise web.HTTPForbidden(text="cross-site websocket refused")
            return await super().handle_websocket(request)

        async def on_startup(self, app: web.Application) -> None:
            print(f"agent-console web seat on {self.public_url}", file=sys.stderr, flush=True)

        def serve(self, debug: bool = False) -> None:
            import asyncio

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
            web.run_app(
                self._make_app(),
                sock=sock,
                shutdown_timeout=3,
                handle_signals=False,
                loop=loop,
                print=lambda *_args: None,
                access_log=None,
            )

    SeatServer(command, host=host, port=actual_port, title="agent-console", public_url=url).serve()
