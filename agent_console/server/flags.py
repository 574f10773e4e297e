"""The backend's command line, defined once: `agent-console serve` shows the flags an
operator sets; the runner (the process `demo`, tests and the workers start) takes the
same flags and its plumbing (`internal=True`). Only argparse here, so the console's
CLI can build its `serve` parser without loading the server."""

from __future__ import annotations

import argparse
import os

#: The CTI token when no --cti-token is given (POST /api/v1/cti/{token}).
CTI_TOKEN_ENV = "AGENT_CONSOLE_CTI_TOKEN"
#: The ring time-out when no --ring-timeout-s is given.
RING_TIMEOUT_ENV = "AGENT_CONSOLE_RING_TIMEOUT_S"
RING_TIMEOUT_DEFAULT_S = 120.0


def ring_timeout_seconds(args: argparse.Namespace) -> float:
    """--ring-timeout-s, else $AGENT_CONSOLE_RING_TIMEOUT_S, else 120 (ValueError if
    the variable is not a number)."""
    given = getattr(args, "ring_timeout_s", None)
    if given is not None:
        return float(given)
    text = os.environ.get(RING_TIMEOUT_ENV, "").strip()
    return float(text) if text else RING_TIMEOUT_DEFAULT_S


def add_server_flags(p: argparse.ArgumentParser, *, internal: bool = False) -> None:
    """Add the backend's flags to `p`; `internal` adds the runner's plumbing (listening
    descriptor, parent watch, ready file, call simulator, worker index) and makes
    warnings the default log level (a child's log goes to a file)."""
    p.add_argument(
        "--db",
        required=True,
        metavar="PATH|URL",
        help="SQLite database file, or postgresql://user@host/dbname (PostgreSQL)",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--demo-data", action="store_true", help="fill an empty database with demo data")
    p.add_argument(
        "--token-ttl-hours",
        type=float,
        default=12.0,
        help="how long a sign-in lasts (default: one 12-hour shift)",
    )
    p.add_argument("--log-level", default="warning" if internal else "info")
    p.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate")
    p.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes on one port (SQLite: one process; PostgreSQL: N workers)",
    )
    p.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="a reverse proxy (address or CIDR) whose X-Forwarded-For names the client, "
        "for the sign-in throttle; repeat for several (default: none, the header is ignored)",
    )
    p.add_argument(
        "--max-body-bytes",
        type=int,
        default=1024 * 1024,
        metavar="N",
        help="larger request bodies get 413 before they are read (default 1 MiB)",
    )
    p.add_argument(
        "--search-per-minute",
        type=float,
        default=120.0,
        metavar="N",
        help="caller searches per agent per minute after the burst (default 120; then 429)",
    )
    p.add_argument(
        "--search-burst",
        type=int,
        default=60,
        metavar="N",
        help="caller searches an agent may send at once (default 60)",
    )
    p.add_argument(
        "--station-every",
        "--simulated-station",
        dest="station_every",
        type=float,
        nargs="?",
        const=30.0,
        default=0.0,
        metavar="SECONDS",
        help="demo aid: field stations move dispatched tickets on by themselves, "
        "about SECONDS per step (default 30)",
    )
    p.add_argument(
        "--cti-token",
        default="",
        metavar="TOKEN",
        help="let a phone system push call events to /api/v1/cti/TOKEN "
        f"(default: ${CTI_TOKEN_ENV}; unset: no CTI endpoint)",
    )
    p.add_argument(
        "--service-level-s",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="the wallboard's service level: the share of offered calls answered within "
        "SECONDS (default 20)",
    )
    p.add_argument(
        "--ring-timeout-s",
        type=float,
        default=None,
        metavar="SECONDS",
        help="a call offered (newCall) and neither answered nor hung up within SECONDS "
        "ends as a missed call, for a phone system that lost the hangup "
        f"(default: ${RING_TIMEOUT_ENV}, else {RING_TIMEOUT_DEFAULT_S:g})",
    )
    if not internal:
        return
    p.add_argument("--fd", type=int, default=None)
    p.add_argument("--parent-watch", action="store_true")
    p.add_argument("--ready-file", default=None)
    p.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--simulated-calls", action="store_true")
    p.add_argument("--calls-every", type=float, default=0.0)
    p.add_argument("--calls-to", default="")
    # The simulated caller's patience (the demo's call simulator hangs up), not the
    # server's ring time-out above.
    p.add_argument("--ring-timeout", type=float, default=20.0)
    p.add_argument("--events-heartbeat", type=float, default=15.0)
    # The demo: sign-in answered before the other routes are built (staged_start.py).
    p.add_argument("--staged-start", action="store_true")
    # Tests: the server's clock reads the time written in this file (server/clock.py).
    p.add_argument("--clock-file", default=None, help=argparse.SUPPRESS)
