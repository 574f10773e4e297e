"""The commands that open the console: the console itself, `practice`, `demo` (with
the reference backend beside it) and `web` (one console per browser)."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console import seat_exit
from agent_console.cli.common import (
    AddParser,
    command,
    fail,
    fail_with_problems,
    settings,
    setup_log,
)

if TYPE_CHECKING:
    import argparse

    from agent_console.backend_process import EmbeddedBackend
    from agent_console.client.first_check import FirstCheck
    from agent_console.config import Settings
    from agent_console.models.agent import Agent


def add_parsers(add: AddParser) -> None:
    demo = add("demo", help="start the reference backend with demo data and open the console")
    demo.add_argument(
        "--db", metavar="PATH", help="demo database (default: demo.db in the user data dir)"
    )
    demo.add_argument("--fresh", action="store_true", help="recreate the demo database first")
    demo.add_argument("--agent", default="1001", help="demo agent to sign in as (default 1001)")
    demo.add_argument(
        "--calls-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="ring the agent every SECONDS with a simulated call (screen-pop); 0: never",
    )
    demo.add_argument(
        "--station-every",
        type=float,
        default=30,
        metavar="SECONDS",
        help="a simulated field station takes each dispatched ticket in hand, then resolves "
        "it, about SECONDS apart (default 30); 0: never",
    )
    command(demo, cmd_demo)

    web = add("web", help="serve the console to a browser (home working); one console per browser")
    web.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback only)"
    )
    web.add_argument("--port", type=int, default=8780, help="port (default 8780; 0: any free port)")
    web.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, e.g. https://seat.example.org behind a TLS proxy",
    )
    web.add_argument("--backend", metavar="URL", help="backend URL (default: from the config file)")
    web.add_argument(
        "--demo",
        action="store_true",
        help="start the reference backend with demo data; every browser is the demo agent",
    )
    web.add_argument(
        "--db", metavar="PATH", help="demo database (default: demo.db in the user data dir)"
    )
    web.add_argument("--agent", default="1001", help="demo agent (default 1001)")
    web.add_argument(
        "--wallboard",
        action="store_true",
        help="serve the read-only wallboard instead of the console (a wall account signs in; "
        "with --demo, the demo's wall account 9900)",
    )
    command(web, cmd_web)

    prac = add("practice", help="the console in practice mode (trainees)")
    prac.add_argument("scenario", nargs="?", help="start this scenario (default: the menu)")
    prac.add_argument("--drill", action="store_true", help="start today's drill")
    prac.add_argument("--list", action="store_true", help="list the scenarios and exit")
    command(prac, cmd_practice)


def run_console(
    settings: Settings,
    token: str | FirstCheck | None,
    *,
    practice: bool | None = False,
    remember_login: bool = True,
    notice: str = "",
    practice_start: str = "",
) -> int:
    """`token`: the token, or a FirstCheck looking it up (and checking it) meanwhile,
    or signing in (the token comes with the agent). `practice` None: practice if the
    agent is a trainee (the demo)."""
    from agent_console.app import AgentConsole
    from agent_console.client import BackendClient
    from agent_console.i18n import detect, set_language

    first_check = None if token is None or isinstance(token, str) else token
    if first_check is not None:
        # Looked up while Textual was imported; a sign-in's comes with the agent.
        token = None if first_check.signs_in else first_check.token()
    set_language(detect(settings.console.language))
    client = BackendClient.from_settings(settings, token if isinstance(token, str) else None)
    app = AgentConsole(
        settings,
        client,
        practice=practice,
        remember_login=remember_login,
        practice_start=practice_start,
        first_check=first_check,
    )
    if notice:
        app.first_notices.append(notice)  # after the first paint (a toast: ~10 ms more)
    seat = seat_exit.current
    if seat is not None:  # a signal now asks the app to leave, from its loop
        app.call_later(seat.attach, app.leave_seat)
    try:
        app.run()
    finally:
        if seat is not None:
            seat.detach()
    return app.return_code or 0


def cmd_console(args: argparse.Namespace, practice: bool = False, practice_start: str = "") -> int:
    from agent_console.client.first_check import FirstCheck

    config = settings(args.config)
    # The keyring and the backend answer on a thread while Textual loads (first_check.py).
    check = FirstCheck.begin(config)
    notice = ""
    if config.path is None:
        notice = (
            f"No config file: using defaults (backend {config.backend.url}). "
            "Run `agent-console init-config` to write one you can edit."
        )
    return run_console(
        config, check, practice=practice, notice=notice, practice_start=practice_start
    )


def cmd_practice(args: argparse.Namespace) -> int:
    """Practice mode: a scenario named on the command line, today's drill, or the menu."""
    from agent_console import practice
    from agent_console.problems import ConfigError

    config = settings(args.config)
    try:
        scenarios = practice.load_all(config.practice.scenarios or None)
    except ConfigError as exc:
        fail_with_problems("the practice scenarios", exc.problems)
    if args.list:
        for s in scenarios:
            print(f"{s.id:<24} {s.hotline:>6}  {'*' * s.difficulty:<5} {s.title.en}")
        return 0
    if args.scenario:
        try:
            practice.by_id(scenarios, args.scenario)
        except KeyError as exc:
            fail(str(exc.args[0]))
    start = args.scenario or ("drill" if args.drill else "")
    return cmd_console(args, practice=True, practice_start=start)


def demo_backend(args: argparse.Namespace, extra_args: list[str] | None = None) -> EmbeddedBackend:
    """The reference backend over the demo database, not yet started (for `demo`, `web`)."""
    import importlib.util

    from agent_console.backend_process import EmbeddedBackend
    from agent_console.paths import data_dir, log_dir

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        fail(
            "the demo runs the reference backend, which needs the server extra: "
            "pip install 'agent-console[server]'"
        )
    db = Path(args.db) if args.db else data_dir() / "demo.db"
    if getattr(args, "fresh", False):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    log_dir().mkdir(parents=True, exist_ok=True)
    return EmbeddedBackend(
        db,
        demo_data=True,
        log_file=log_dir() / "demo-server.log",
        # Sign-in answered before the other routes are built: the agent shows sooner.
        extra_args=["--simulated-calls", "--staged-start", *(extra_args or [])],
    )


def keep_cti_url(db: Path, url: str) -> Path:
    """The demo's CTI URL in `demo-cti-url` beside its database, readable by the user
    alone (the token in it is the phone system's credential)."""
    path = db.parent / "demo-cti-url"
    path.unlink(missing_ok=True)  # a new file gets the mode below, whoever made the old
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(url + "\n")
    return path


def demo_sign_in(backend: EmbeddedBackend, agent_id: str) -> tuple[str, Agent]:
    """Wait for the demo's backend, then sign in as its agent (a thread's work)."""
    from agent_console.models.agent import Agent
    from agent_console.text import clean_tree

    backend.wait_ready()
    token, agent_json = backend.sign_in_agent(agent_id, "demo")
    return token, Agent.from_json(clean_tree(agent_json))


def cmd_demo(args: argparse.Namespace) -> int:
    import dataclasses
    import os
    import secrets

    from agent_console.backend_process import HURRY_GRACE, BackendStartError

    calls = ["--calls-every", str(args.calls_every), "--calls-to", args.agent]
    extra = calls if args.calls_every > 0 else []
    if args.station_every > 0:
        extra += ["--station-every", str(args.station_every)]
    # The demo's phone-system door: a fresh token, to the backend by environment.
    cti_token = os.environ["AGENT_CONSOLE_CTI_TOKEN"] = secrets.token_urlsafe(18)
    backend = demo_backend(args, extra)
    seat = seat_exit.current
    if seat is not None:  # the backend ends beside the console, even a console stuck
        seat.on_signal(backend.terminate_now)
        seat.on_force(backend.kill)
    try:
        # The backend boots (~1 s on a quiet machine, 1-4 s loaded: importing FastAPI,
        # building its routes) on the other core while this process reads its config and
        # loads the console: launched before either, as its start is the demo's longest.
        backend.launch()
        with backend:
            setup_log(args)
            cti_url = f"{backend.url}/api/v1/cti/{cti_token}"
            print(f"CTI (phone system) URL: {cti_url}", file=sys.stderr)
            # The console covers that line at once, and the token is new each start:
            # the URL is kept in a file (only the user reads it) while the demo runs.
            url_file = keep_cti_url(Path(str(backend.db)), cti_url)
            print(f"(kept in {url_file} while the demo runs)", file=sys.stderr)
            try:
                config = settings(args.config)
                from agent_console.client.first_check import FirstCheck

                # The console loads and paints while the backend boots; the agent shows
                # when the sign-in (on a thread) answers. No /auth/me after it.
                check = FirstCheck.sign_in(partial(demo_sign_in, backend, args.agent))
                config = dataclasses.replace(
                    config, backend=dataclasses.replace(config.backend, url=backend.url)
                )
                # A trainee practises on the demo's own backend (the practice menu); a
                # separate `agent-console practice` would look for the configured one.
                code = run_console(config, check, remember_login=False, practice=None)
                failure = check.failure()
                if code and failure is not None:
                    raise failure  # the backend did not start, or refused the sign-in
                if seat is not None and seat.signum is not None:
                    backend.stop(grace=HURRY_GRACE, hurry=True)  # within the seat's deadline
                return code
            finally:
                url_file.unlink(missing_ok=True)  # its token dies with the backend
    except BackendStartError as exc:
        fail(str(exc))


def cmd_web(args: argparse.Namespace) -> int:
    import importlib.util

    from agent_console import web_seat
    from agent_console.backend_process import BackendStartError

    if importlib.util.find_spec("textual_serve") is None:
        fail("the browser seat needs textual-serve: pip install 'agent-console[web]'")
    settings(args.config)  # a broken config fails here, not in every browser
    if warning := web_seat.exposure_warning(args.host):
        print(warning, file=sys.stderr)
    session = web_seat.session_command(args.config, wallboard=args.wallboard)
    try:
        if not args.demo:
            web_seat.session_environment(args.backend, None)
            web_seat.serve(args.host, args.port, session, args.public_url)
            return 0
        with demo_backend(args) as backend:
            agent = "9900" if args.wallboard else args.agent  # the demo's wall account
            web_seat.session_environment(backend.url, backend.login(agent, "demo"))
            web_seat.serve(args.host, args.port, session, args.public_url)
    except BackendStartError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot serve on {args.host}:{args.port}: {exc}")
    return 0
