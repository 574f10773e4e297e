"""Run the backend: `agent-console serve`, and the child process `agent-console demo` starts.

With `--parent-watch` the server exits when its standard input closes, which happens
when the process that started it ends in any way (even SIGKILL): no orphan servers.
`--workers N` (PostgreSQL) makes this process the parent of N such servers on one
socket (server/workers.py); `--worker-index` marks one of them (X-Worker header).
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.server.collector import settle as settle_collector
from agent_console.server.deps import ServerSettings
from agent_console.server.flags import (
    CTI_TOKEN_ENV,
    RING_TIMEOUT_ENV,
    add_server_flags,
    ring_timeout_seconds,
)
from agent_console.server.search_guard import SearchBudget

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI


def build_app(
    db: str,
    demo_data: bool,
    token_ttl_hours: float = 12.0,
    *,
    staged: bool = False,
    **settings: object,
) -> FastAPI:
    from agent_console.server.api import create_app
    from agent_console.server.clock import now
    from agent_console.server.demo import load_demo, top_up_demo
    from agent_console.server.quality.demo import add_demo_history
    from agent_console.server.storage import open_storage

    storage = open_storage(db)
    if demo_data and storage.is_empty():
        load_demo(storage)
    elif demo_data:
        top_up_demo(storage)  # a demo database made by an older version
    if demo_data:
        add_demo_history(storage, now())  # the quality figures' past week, once
    server_settings = ServerSettings(token_ttl_hours=token_ttl_hours, **settings)  # type: ignore[arg-type]
    return create_app(storage, server_settings, staged=staged)


KEEP_ALIVE_S = 65


def _server_class() -> type[uvicorn.Server]:
    import asyncio

    import uvicorn

    class Server(uvicorn.Server):
        """Ends the open event streams first, so they do not hold a shutdown up for
        the whole graceful-shutdown timeout."""

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            state = getattr(self.config.app, "state", None)
            bus = getattr(state, "events", None)
            if bus is not None:
                bus.close()
            trail = getattr(state, "search_audit", None)
            if trail is not None:
                trail.close()  # the number searches not written yet
            await super().shutdown(sockets)

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            """Listening: a staged start builds the rest of its routes soon."""
            await super().startup(sockets)
            staged = getattr(getattr(self.config.app, "state", None), "staged", None)
            if staged is not None and not self.should_exit:
                staged.arm(asyncio.get_running_loop(), on_failure=self._failed)

        def _failed(self) -> None:
            self.should_exit = True

    return Server


def _watch_parent(server: uvicorn.Server) -> None:
    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        server.should_exit = True

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    demo_data: bool = False,
    fd: int | None = None,
    parent_watch: bool = False,
    token_ttl_hours: float = 12.0,
    log_level: str = "warning",
    ready_file: str | None = None,
    simulated_calls: bool = False,
    calls_every: float = 0.0,
    calls_to: str = "",
    events_heartbeat: float = 15.0,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    workers: int = 1,
    worker_index: int | None = None,
    station_every: float = 0.0,
    cti_token: str = "",
    ring_timeout: float = 20.0,
    trusted_proxies: tuple[str, ...] = (),
    max_body_bytes: int = 1024 * 1024,
    search_per_minute: float = 120.0,
    search_burst: int = 60,
    service_level_s: float = 20.0,
    ring_timeout_s: float = 120.0,
    clock_file: str | None = None,
    staged_start: bool = False,
) -> int:
    """Serve until stopped; returns the exit status. `workers` > 1 (PostgreSQL only)
    makes this process the parent of that many server processes (server/workers.py).
    `staged_start` (one process): sign-in answered before the other routes are built
    (server/staged_start.py)."""
    from agent_console.server.workers import check_workers

    check_workers(db, workers, calls_every, station_every)
    if cti_token:  # to the workers by environment: a token in argv is visible in ps
        os.environ[CTI_TOKEN_ENV] = cti_token
    if workers > 1:
        return _serve_workers(
            db, host, port, workers, demo_data=demo_data, fd=fd, parent_watch=parent_watch,
            ready_file=ready_file, worker_args=[
                "--db", db, "--log-level", log_level,
                "--token-ttl-hours", str(token_ttl_hours),
                "--events-heartbeat", str(events_heartbeat),
                *(["--simulated-calls"] if simulated_calls else []),
                *[a for p in trusted_proxies for a in ("--trusted-proxy", p)],
                "--max-body-bytes", str(max_body_bytes),
                "--search-per-minute", str(search_per_minute),
                "--search-burst", str(search_burst),
                "--service-level-s", str(service_level_s),
                "--ring-timeout-s", str(ring_timeout_s),
                *(["--clock-file", clock_file] if clock_file else []),
                *(["--tls-cert", tls_cert, "--tls-key", tls_key] if tls_cert and tls_key else []),
            ],
        )  # fmt: skip
    import uvicorn

    app = build_app(
        db,
        demo_data,
        token_ttl_hours,
        simulated_calls=simulated_calls or calls_every > 0,
        events_heartbeat=events_heartbeat,
        cti_token=cti_token or os.environ.get(CTI_TOKEN_ENV, ""),
        trusted_proxies=tuple(trusted_proxies),
        max_body_bytes=max_body_bytes,
        search_budget=SearchBudget(per_minute=search_per_minute, burst=search_burst),
        service_level_s=service_level_s,
        ring_timeout_s=ring_timeout_s,
        staged=staged_start,
    )
    if calls_every > 0 and calls_to:
        from agent_console.server.calls import CallSimulator

        CallSimulator(
            app.state.storage, app.state.events, calls_to, calls_every, ring_timeout=ring_timeout
        ).start()
    if worker_index is not None:
        from agent_console.server.workers import WorkerHeader

        app.add_middleware(WorkerHeader, value=f"{worker_index}:{os.getpid()}")
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=3,
        # Longer than the console's keep-alive (client/base.py KEEPALIVE_S, 55 s): with
        # equal timers a console reused a connection the server was closing at that
        # instant (RemoteProtocolError under load). The client must be the one to close.
        timeout_keep_alive=KEEP_ALIVE_S,
        # uvicorn would take X-Forwarded-For from any loopback peer; the app reads it
        # only from the proxies named by --trusted-proxy (server/client_address.py).
        proxy_headers=False,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
    )
    server = _server_class()(config)
    settle_collector()
    station = None
    if station_every > 0:  # the demo's field stations work dispatched tickets
        from agent_console.server.station_sim import StationSimulator

        station = StationSimulator(app.state.storage, app.state.events, station_every).start()
    if parent_watch:
        _watch_parent(server)
    if ready_file:
        _announce_when_started(server, ready_file)
    # uvicorn's own `fd=` wraps the descriptor as AF_UNIX, so asyncio never sets
    # TCP_NODELAY on accepted connections and every response waited ~40 ms for the
    # client's delayed ACK. socket(fileno=) reads the real family: 44 ms -> ~2 ms.
    from agent_console.server.workers import inherited_socket

    try:
        server.run(sockets=[inherited_socket(fd)] if fd is not None else None)
    finally:
        if station is not None:
            station.stop()
    return 0


def _serve_workers(
    db: str,
    host: str,
    port: int,
    workers: int,
    *,
    demo_data: bool,
    fd: int | None,
    parent_watch: bool,
    ready_file: str | None,
    worker_args: list[str],
) -> int:
    """Migrate (and fill with demo data) once, then run `workers` processes."""
    from agent_console.server.clock import now
    from agent_console.server.demo import load_demo, top_up_demo
    from agent_console.server.quality.demo import add_demo_history
    from agent_console.server.storage import open_storage
    from agent_console.server.workers import supervise

    storage = open_storage(db)
    try:
        if demo_data and storage.is_empty():
            load_demo(storage)
        elif demo_data:
            top_up_demo(storage)
        if demo_data:
            add_demo_history(storage, now())  # the quality figures' past week, once
    finally:
        storage.close()
    return supervise(workers, worker_args, host, port, fd, ready_file, parent_watch)


def _announce_when_started(server: object, ready_file: str) -> None:
    """Write the bound address to `ready_file` once uvicorn listens (tests and demo wait on it)."""

    def wait() -> None:
        import time

        while not getattr(server, "started", False):
            if getattr(server, "should_exit", False):
                return
            time.sleep(0.01)
        servers = getattr(server, "servers", [])
        sockets = [s for srv in servers for s in srv.sockets]
        host, port = sockets[0].getsockname()[:2] if sockets else ("", 0)
        tmp = Path(ready_file + ".tmp")
        tmp.write_text(f"{host} {port}\n")
        os.replace(tmp, ready_file)

    threading.Thread(target=wait, name="ready-announce", daemon=True).start()


def flag_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the flags taken together, before anything is opened."""
    from agent_console.server.client_address import networks
    from agent_console.server.workers import WorkersRefused, check_workers

    try:
        check_workers(args.db, args.workers, getattr(args, "calls_every", 0.0), args.station_every)
    except WorkersRefused as exc:
        return str(exc)
    if not 0 < args.service_level_s <= 3600:
        return "--service-level-s must be more than 0 and at most 3600 seconds"
    try:
        ring_s = ring_timeout_seconds(args)
    except ValueError:
        return f"${RING_TIMEOUT_ENV} must be a number of seconds"
    if not 5 <= ring_s <= 86400:
        return "--ring-timeout-s must be between 5 seconds and 86400 (a day)"
    if bool(args.tls_cert) != bool(args.tls_key):
        return "HTTPS needs both --tls-cert and --tls-key"
    try:
        networks(tuple(args.trusted_proxy))
    except ValueError as exc:
        return f"--trusted-proxy: {exc}"
    return None


def serve_args(args: argparse.Namespace) -> int:
    """`serve()` with the flags of add_server_flags (the runner's plumbing when given)."""
    return serve(
        args.db,
        args.host,
        args.port,
        demo_data=args.demo_data,
        fd=getattr(args, "fd", None),
        parent_watch=getattr(args, "parent_watch", False),
        token_ttl_hours=args.token_ttl_hours,
        log_level=args.log_level,
        ready_file=getattr(args, "ready_file", None),
        simulated_calls=getattr(args, "simulated_calls", False),
        calls_every=getattr(args, "calls_every", 0.0),
        calls_to=getattr(args, "calls_to", ""),
        events_heartbeat=getattr(args, "events_heartbeat", 15.0),
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        workers=args.workers,
        worker_index=getattr(args, "worker_index", None),
        station_every=args.station_every,
        cti_token=args.cti_token or os.environ.get(CTI_TOKEN_ENV, ""),
        ring_timeout=getattr(args, "ring_timeout", 20.0),
        trusted_proxies=tuple(args.trusted_proxy),
        max_body_bytes=args.max_body_bytes,
        search_per_minute=args.search_per_minute,
        search_burst=args.search_burst,
        service_level_s=args.service_level_s,
        ring_timeout_s=ring_timeout_seconds(args),
        clock_file=getattr(args, "clock_file", None),
        staged_start=getattr(args, "staged_start", False),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agent-console-server")
    add_server_flags(parser, internal=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    if problem := flag_problem(args):
        print(f"agent-console-server: {problem}", file=sys.stderr)
        return 2
    if args.clock_file:
        from agent_console.server import clock

        clock.read_from_file(args.clock_file)
    return serve_args(args)


def free_listening_socket(host: str = "127.0.0.1") -> socket.socket:
    """A bound, listening socket on a free port, to hand to a child server (no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


if __name__ == "__main__":
    raise SystemExit(main())
