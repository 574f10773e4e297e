"""`login` and `logout`: the token in the system keyring, for the console to use; and
`account add`: the admin makes an account of any role on the backend's host (a wall
screen's own account among them), in the database the backend serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_console.cli.common import AddParser, command, fail, settings

if TYPE_CHECKING:
    import argparse

    from agent_console.models.agent import Agent


def add_parsers(add: AddParser) -> None:
    login = add("login", help="sign in and store the token in the system keyring")
    login.add_argument("--agent", help="agent number (asked if not given)")
    login.add_argument(
        "--print-token",
        action="store_true",
        help="print the token instead of storing it (for AGENT_CONSOLE_TOKEN)",
    )
    command(login, cmd_login)
    command(add("logout", help="revoke the token and remove it from the keyring"), cmd_logout)

    account = add("account", help="make accounts in the backend's database (admin, on its host)")
    verbs = account.add_subparsers(dest="account_command", metavar="{add}", required=True)
    new = verbs.add_parser(
        "add",
        help="add an account: an agent, trainee, mentor, supervisor, field station or wall screen",
        description="Add an account to the backend's database. A wall screen's account "
        "(--role wall) signs in to `agent-console wallboard` and can do nothing else.",
    )
    new.add_argument("--db", required=True, metavar="PATH|URL", help="the backend's database")
    new.add_argument("--agent-no", required=True, metavar="NO", help="the number to sign in with")
    new.add_argument("--name", required=True, help="the name shown on the board and tickets")
    new.add_argument(
        "--role",
        required=True,
        choices=("agent", "trainee", "mentor", "supervisor", "station", "wall"),
    )
    new.add_argument("--hotline", default="", help="the hotline the account works (agents)")
    new.add_argument("--team", default="", help="the floor's team (the wallboard's filter)")
    new.add_argument("--station", default="", metavar="CODE", help="a field station's code")
    new.add_argument("--language", default="zh", choices=("zh", "en"))
    new.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (else it is asked twice)",
    )
    command(new, cmd_account_add)


def cmd_login(args: argparse.Namespace) -> int:
    import asyncio
    import getpass

    from agent_console import auth
    from agent_console.client import BackendClient, BackendError, BackendUnavailable

    config = settings(args.config)
    url = config.backend.url
    agent_id = args.agent or input("Agent number: ").strip()
    password = getpass.getpass("Password: ")

    async def sign_in() -> tuple[str, Agent]:
        client = BackendClient.from_settings(config)
        try:
            return await client.login(agent_id, password)
        finally:
            await client.aclose()

    try:
        token, agent = asyncio.run(sign_in())
    except (BackendUnavailable, BackendError) as exc:
        fail(exc.message)
    if args.print_token:
        print(token)
        return 0
    try:
        auth.save_token(url, token)
    except auth.KeyringUnavailable as exc:
        fail(
            f"{exc}\nRun `agent-console login --print-token` and put the token in "
            f"{auth.ENV_TOKEN}.",
            code=3,
        )
    print(
        f"Signed in as {agent.agent_no} {agent.name} ({agent.role}); token stored in the "
        f"system keyring for {url}."
    )
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    import asyncio
    import sys

    from agent_console import auth
    from agent_console.client import BackendClient, BackendError, BackendUnavailable

    config = settings(args.config)
    url = config.backend.url
    token = auth.stored_token(url)
    if token is None:
        print(f"No token stored for {url}.")
        return 0

    async def revoke() -> None:
        client = BackendClient.from_settings(config, token)  # the CA bundle too
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
        fail(str(exc), code=3)
    print(f"Signed out of {url}; the token was removed from the keyring.")
    return 0


def cmd_account_add(args: argparse.Namespace) -> int:
    import getpass
    import sys

    try:
        from agent_console.server.accounts import AccountProblem, NewAccount, create_account
        from agent_console.server.storage import StorageError, open_storage
    except ImportError as exc:
        fail(f"adding accounts needs the server extra: pip install 'agent-console[server]' ({exc})")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password for the new account: ")
        if getpass.getpass("The same password again: ") != password:
            fail("the two passwords differ; nothing was added", 2)
    account = NewAccount(
        agent_no=args.agent_no.strip(),
        name=args.name,
        role=args.role,
        password=password,
        hotline=args.hotline.strip(),
        team=args.team.strip(),
        station=args.station.strip(),
        language=args.language,
    )
    if problem := account.problem():
        fail(f"{problem}; nothing was added", 2)
    try:
        storage = open_storage(args.db)
    except StorageError as exc:
        fail(str(exc))
    try:
        row = create_account(storage, account)
    except AccountProblem as exc:
        fail(f"{exc}; nothing was added", 2)
    finally:
        storage.close()
    print(f"Added {row['agent_no']} {row['name']} ({row['role']}).")
    if row["role"] == "wall":
        print("It signs in to `agent-console wallboard` only, and reads the board.")
    return 0
