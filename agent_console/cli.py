"""`agent-console` and its subcommands. Each imports only what it needs, late."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from agent_console import __version__, seat_exit

if TYPE_CHECKING:
    from agent_console.backend_process import EmbeddedBackend
    from agent_console.config import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agent-console",
        description="Keyboard-driven console for hotline agents. Without a command: the console.",
    )
    p.add_argument("--version", action="version", version=f"agent-console {__version__}")
    p.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $AGENT_CONSOLE_CONFIG, "
        "else config.toml in the user config dir)",
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="log every request to the log file (numbers masked, never tokens)",
    )
    sub = p.add_subparsers(dest="command")

    demo = sub.add_parser(
        "demo", help="start the reference backend with demo data and open the console"
    )
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

    web = sub.add_parser(
        "web", help="serve the console to a browser (home working); one console per browser"
    )
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

    serve = sub.add_parser("serve", help="run the reference backend")
    serve.add_argument(
        "--db",
        required=True,
        metavar="PATH|URL",
        help="SQLite database file, or postgresql://user@host/dbname (PostgreSQL)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--demo-data", action="store_true", help="fill an empty database with demo data"
    )
    serve.add_argument(
        "--token-ttl-hours",
        type=float,
        default=12.0,
        help="how long a sign-in lasts (default: one 12-hour shift)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate")
    serve.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes on one port (SQLite: one process; PostgreSQL: N workers)",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help="a reverse proxy (address or CIDR) whose X-Forwarded-For names the client, "
        "for the sign-in throttle; repeat for several (default: none, the header is ignored)",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=int,
        default=1024 * 1024,
        metavar="N",
        help="larger request bodies get 413 before they are read (default 1 MiB)",
    )
    serve.add_argument(
        "--search-per-minute",
        type=float,
        default=120.0,
        metavar="N",
        help="caller searches per agent per minute after the burst (default 120; then 429)",
    )
    serve.add_argument(
        "--search-burst",
        type=int,
        default=60,
        metavar="N",
        help="caller searches an agent may send at once (default 60)",
    )
    serve.add_argument(
        "--simulated-station",
        type=float,
        nargs="?",
        const=30.0,
        default=0.0,
        metavar="SECONDS",
        help="demo aid: field stations move dispatched tickets on by themselves, "
        "about SECONDS per step (default 30)",
    )
    serve.add_argument(
        "--cti-token",
        metavar="TOKEN",
        help="let a phone system push call events to /api/v1/cti/TOKEN "
        "(default: $AGENT_CONSOLE_CTI_TOKEN; unset: no CTI endpoint)",
    )

    seed = sub.add_parser("seed", help="fill a database with deterministic synthetic data")
    seed.add_argument("--db", required=True, metavar="PATH")
    seed.add_argument("--callers", type=int, default=0)
    seed.add_argument("--directory", type=int, default=0)
    seed.add_argument("--articles", type=int, default=0)
    seed.add_argument("--seed", type=int, default=114, help="random seed (same seed, same data)")

    mig = sub.add_parser(
        "migrate-db",
        help="copy a centre's SQLite database into PostgreSQL (resumable; verifies counts)",
    )
    mig.add_argument("--from", dest="source", required=True, metavar="SQLITE_PATH")
    mig.add_argument("--to", dest="target", required=True, metavar="POSTGRES_URL")

    login = sub.add_parser("login", help="sign in and store the token in the system keyring")
    login.add_argument("--agent", help="agent number (asked if not given)")
    login.add_argument(
        "--print-token",
        action="store_true",
        help="print the token instead of storing it (for AGENT_CONSOLE_TOKEN)",
    )
    sub.add_parser("logout", help="revoke the token and remove it from the keyring")

    prac = sub.add_parser("practice", help="the console in practice mode (trainees)")
    prac.add_argument("scenario", nargs="?", help="start this scenario (default: the menu)")
    prac.add_argument("--drill", action="store_true", help="start today's drill")
    prac.add_argument("--list", action="store_true", help="list the scenarios and exit")

    check = sub.add_parser("check-config", help="validate a config file and its keymap")
    check.add_argument(
        "path", nargs="?", help="config file (default: the one the console would use)"
    )

    from agent_console.outbox_cmd import add_parser as add_outbox_parser

    add_outbox_parser(sub)

    init = sub.add_parser("init-config", help="write the commented example config")
    init.add_argument("path", nargs="?", help="where (default: config.toml in the user config dir)")
    return p


def _fail(message: str, code: int = 1) -> NoReturn:
    print(f"agent-console: {message}", file=sys.stderr)
    raise SystemExit(code)


def _settings(path: str | None) -> Settings:
    from agent_console.config import load
    from agent_console.problems import ConfigError

    try:
        return load(path)
    except ConfigError as exc:
        print("agent-console: the configuration has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2) from exc


def _run_console(
    settings: Settings,
    token: str | None,
    *,
    practice: bool = False,
    remember_login: bool = True,
    notice: str = "",
    practice_start: str = "",
) -> int:
    from agent_console.app import AgentConsole
    from agent_console.client import BackendClient
    from agent_console.i18n import detect, set_language

    set_language(detect(settings.console.language))
    client = BackendClient.from_settings(settings, token)
    app = AgentConsole(
        settings,
        client,
        practice=practice,
        remember_login=remember_login,
        practice_start=practice_start,
    )
    if notice:
        app.call_later(app.notify, notice, timeout=12, markup=False)
    seat = seat_exit.current
    if seat is not None:  # a signal now asks the app to leave, from its loop
        app.call_later(seat.attach, app.leave_seat)
    try:
        app.run()
    finally:
        if seat is not None:
            seat.detach()
    return app.return_code or 0


def cmd_practice(args: argparse.Namespace) -> int:
    """Practice mode: a scenario named on the command line, today's drill, or the menu."""
    from agent_console import practice
    from agent_console.problems import ConfigError

    settings = _settings(args.config)
    try:
        scenarios = practice.load_all(settings.practice.scenarios or None)
    except ConfigError as exc:
        print("agent-console: the practice scenarios have problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.list:
        for s in scenarios:
            print(f"{s.id:<24} {s.hotline:>6}  {'*' * s.difficulty:<5} {s.title.en}")
        return 0
    if args.scenario:
        try:
            practice.by_id(scenarios, args.scenario)
        except KeyError as exc:
            _fail(str(exc.args[0]))
    start = args.scenario or ("drill" if args.drill else "")
    return cmd_console(args, practice=True, practice_start=start)


def cmd_console(args: argparse.Namespace, practice: bool = False, practice_start: str = "") -> int:
    from agent_console import auth

    settings = _settings(args.config)
    token, _source = auth.token_for(settings.backend.url)
    notice = ""
    if settings.path is None:
        notice = (
            f"No config file: using defaults (backend {settings.backend.url}). "
            "Run `agent-console init-config` to write one you can edit."
        )
    return _run_console(
        settings, token, practice=practice, notice=notice, practice_start=practice_start
    )


def _demo_backend(args: argparse.Namespace, extra_args: list[str] | None = None) -> EmbeddedBackend:
    """The reference backend over the demo database, not yet started (for `demo`, `web`)."""
    import importlib.util

    from agent_console.backend_process import EmbeddedBackend
    from agent_console.paths import data_dir, log_dir

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        _fail(
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
        extra_args=["--simulated-calls", *(extra_args or [])],
    )


def cmd_demo(args: argparse.Namespace) -> int:
    import dataclasses
    import os
    import secrets

    from agent_console.backend_process import HURRY_GRACE, BackendStartError

    settings = _settings(args.config)
    calls = ["--calls-every", str(args.calls_every), "--calls-to", args.agent]
    extra = calls if args.calls_every > 0 else []
    if args.station_every > 0:
        extra += ["--station-every", str(args.station_every)]
    # The demo's phone-system door: a fresh token, to the backend by environment.
    cti_token = os.environ["AGENT_CONSOLE_CTI_TOKEN"] = secrets.token_urlsafe(18)
    backend = _demo_backend(args, extra)
    seat = seat_exit.current
    if seat is not None:  # the backend ends beside the console, even a console stuck
        seat.on_signal(backend.terminate_now)
        seat.on_force(backend.kill)
    try:
        with backend:
            print(f"CTI (phone system) URL: {backend.url}/api/v1/cti/{cti_token}", file=sys.stderr)
            token, role = backend.sign_in(args.agent, "demo")
            settings = dataclasses.replace(
                settings, backend=dataclasses.replace(settings.backend, url=backend.url)
            )
            # A trainee practises on the demo's own backend (the practice menu); a
            # separate `agent-console practice` would look for the configured one.
            code = _run_console(settings, token, remember_login=False, practice=role == "trainee")
            if seat is not None and seat.signum is not None:
                backend.stop(grace=HURRY_GRACE, hurry=True)  # within the seat's deadline
            return code
    except BackendStartError as exc:
        _fail(str(exc))


def cmd_web(args: argparse.Namespace) -> int:
    import importlib.util

    from agent_console import web_seat
    from agent_console.backend_process import BackendStartError

    if importlib.util.find_spec("textual_serve") is None:
        _fail("the browser seat needs textual-serve: pip install 'agent-console[web]'")
    _settings(args.config)  # a broken config fails here, not in every browser
    if warning := web_seat.exposure_warning(args.host):
        print(warning, file=sys.stderr)
    command = web_seat.session_command(args.config)
    try:
        if not args.demo:
            web_seat.session_environment(args.backend, None)
            web_seat.serve(args.host, args.port, command, args.public_url)
            return 0
        with _demo_backend(args) as backend:
            web_seat.session_environment(backend.url, backend.login(args.agent, "demo"))
            web_seat.serve(args.host, args.port, command, args.public_url)
    except BackendStartError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot serve on {args.host}:{args.port}: {exc}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    try:
        from agent_console.server.runner import serve
    except ImportError as exc:
        _fail(f"the backend needs the server extra: pip install 'agent-console[server]' ({exc})")
    from agent_console.server.storage import StorageError
    from agent_console.server.workers import WorkersRefused, check_workers

    try:
        check_workers(args.db, args.workers)
    except WorkersRefused as exc:
        _fail(str(exc), 2)
    if bool(args.tls_cert) != bool(args.tls_key):
        _fail("HTTPS needs both --tls-cert and --tls-key")
    from agent_console.server.client_address import networks

    try:
        networks(tuple(args.trusted_proxy))
    except ValueError as exc:
        _fail(f"--trusted-proxy: {exc}", 2)
    scheme = "https" if args.tls_cert else "http"
    shown_db = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", args.db)  # no password in logs
    print(
        f"agent-console backend on {scheme}://{args.host}:{args.port} (db {shown_db})",
        file=sys.stderr,
    )
    try:
        status = serve(
            args.db,
            args.host,
            args.port,
            demo_data=args.demo_data,
            token_ttl_hours=args.token_ttl_hours,
            log_level=args.log_level,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            workers=args.workers,
            station_every=args.simulated_station,
            cti_token=args.cti_token or os.environ.get("AGENT_CONSOLE_CTI_TOKEN", ""),
            trusted_proxies=tuple(args.trusted_proxy),
            max_body_bytes=args.max_body_bytes,
            search_per_minute=args.search_per_minute,
            search_burst=args.search_burst,
        )
    except StorageError as exc:
        _fail(str(exc))
    return status


def cmd_seed(args: argparse.Namespace) -> int:
    try:
        from agent_console.server.seed import seed_database
    except ImportError as exc:
        _fail(f"seeding needs the server extra: pip install 'agent-console[server]' ({exc})")
    counts = seed_database(
        args.db,
        callers=args.callers,
        directory=args.directory,
        articles=args.articles,
        seed=args.seed,
        progress=sys.stderr,
    )
    for table, n in counts.items():
        print(f"{table:>18}: {n:,}")
    return 0


def cmd_migrate_db(args: argparse.Namespace) -> int:
    """Run it again after an interruption: it continues where it stopped."""
    if not args.target.startswith(("postgresql://", "postgres://")):
        _fail("--to must be a postgresql:// URL")
    if not Path(args.source).is_file():
        _fail(f"no SQLite database at {args.source}")
    try:
        from agent_console.server.storage import StorageError
        from agent_console.server.storage.postgres.copy import migrate
    except ImportError as exc:
        _fail(f"migrate-db needs: pip install 'agent-console[server,postgres]' ({exc})")
    try:
        counts = migrate(args.source, args.target, out=sys.stderr)
    except StorageError as exc:
        _fail(str(exc))
    print(f"{'table':>22}  {'sqlite':>10}  {'postgres':>10}")
    for table, (a, b) in counts.items():
        print(f"{table:>22}  {a:>10,}  {b:>10,}")
    return 0


def cmd_login(args: argparse.Namespace) -> int:
    import asyncio
    import getpass

    from agent_console import auth
    from agent_console.client import BackendClient, BackendError, BackendUnavailable

    settings = _settings(args.config)
    url = settings.backend.url
    agent_id = args.agent or input("Agent number: ").strip()
    password = getpass.getpass("Password: ")

    async def sign_in() -> tuple[str, object]:
        client = BackendClient.from_settings(settings)
        try:
            return await client.login(agent_id, password)
        finally:
            await client.aclose()

    try:
        token, agent = asyncio.run(sign_in())
    except (BackendUnavailable, BackendError) as exc:
        _fail(exc.message)
    if args.print_token:
        print(token)
        return 0
    try:
        auth.save_token(url, token)
    except auth.KeyringUnavailable as exc:
        _fail(
            f"{exc}\nRun `agent-console login --print-token` and put the token in "
            f"{auth.ENV_TOKEN}.",
            code=3,
        )
    print(
        f"Signed in as {agent.agent_no} {agent.name} ({agent.role}); token stored in the "  # type: ignore[attr-defined]
        f"system keyring for {url}."
    )
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    import asyncio

    from agent_console import auth
    from agent_console.client import BackendClient, BackendError, BackendUnavailable

    settings = _settings(args.config)
    url = settings.backend.url
    token = auth.stored_token(url)
    if token is None:
        print(f"No token stored for {url}.")
        return 0

    async def revoke() -> None:
        client = BackendClient.from_settings(settings, token)  # the CA bundle too
        try:
            await client.logout()
        finally:
            await client.aclose()

    try:
        asyncio.run(revoke())
    except (BackendUnavailable, BackendError) as exc:
        print(f"warning: could not revoke the token on the server ({exc.message})", file=sys.stderr)
    try:
        auth.forget_token(url)
    except auth.KeyringUnavailable as exc:
        _fail(str(exc), code=3)
    print(f"Signed out of {url}; the token was removed from the keyring.")
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    from agent_console.config import resolve_path

    path = args.path or args.config
    settings = _settings(path)
    where = settings.path or resolve_path(path)
    print(
        f"{where or 'built-in defaults'}: OK (backend {settings.backend.url}, "
        f"keymap {settings.keymap.base}, {len(settings.keys)} keys)"
    )
    if settings.practice.scenarios:
        from agent_console.practice import load_folder
        from agent_console.problems import ConfigError

        try:
            extra = load_folder(settings.practice.scenarios)
        except ConfigError as exc:
            print("agent-console: the practice scenarios have problems:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
        print(f"{settings.practice.scenarios}: OK ({len(extra)} practice scenarios)")
    return 0


def example_config_text() -> str:
    from importlib import resources

    packaged = resources.files("agent_console").joinpath("config.example.toml")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parent.parent / "config.example.toml"
    return source_tree.read_text(encoding="utf-8")


def cmd_init_config(args: argparse.Namespace) -> int:
    from agent_console.paths import default_config_path

    path = Path(args.path) if args.path else default_config_path()
    if path.exists():
        _fail(f"{path} exists already; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example_config_text(), encoding="utf-8")
    print(f"Wrote {path}. Check it with: agent-console check-config {path}")
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from agent_console.outbox_cmd import run

    return run(args, _settings(args.config))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in (None, "demo", "practice"):
        from agent_console import logs
        from agent_console.paths import log_dir

        logs.setup(log_dir() / "console.log", debug=args.debug)
        # SIGHUP/SIGTERM/SIGINT end the console (and the demo's backend) in bounded
        # time from here to the last byte, whatever state it is in.
        seat_exit.install(log_dir() / "console.log")
    commands = {
        None: cmd_console,
        "demo": cmd_demo,
        "web": cmd_web,
        "serve": cmd_serve,
        "seed": cmd_seed,
        "migrate-db": cmd_migrate_db,
        "login": cmd_login,
        "logout": cmd_logout,
        "practice": cmd_practice,
        "check-config": cmd_check_config,
        "init-config": cmd_init_config,
        "outbox": cmd_outbox,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
