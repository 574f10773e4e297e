"""`login` and `logout`: the token in the system keyring, for the console to use."""

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
