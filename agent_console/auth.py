"""The agent's token: from $AGENT_CONSOLE_TOKEN, else the system keyring. Never a file.

keyring is imported only when needed (~25-80 ms), and a headless Linux box without a
Secret Service raises NoKeyringError: that is reported plainly, with the environment
variable as the way out, and never answered with a plaintext file.
"""

from __future__ import annotations

import os
from types import ModuleType

SERVICE = "agent-console"
ENV_TOKEN = "AGENT_CONSOLE_TOKEN"


class KeyringUnavailable(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "no system keyring is available here "
            f"({detail}). Set {ENV_TOKEN} in the seat's environment instead; "
            "agent-console never writes tokens to a file."
        )


def _username(backend_url: str) -> str:
    return backend_url.rstrip("/")


def _keyring() -> tuple[ModuleType, ModuleType]:
    import keyring
    import keyring.errors

    return keyring, keyring.errors


def stored_token(backend_url: str) -> str | None:
    """The keyring's token for this backend; None if there is none or no keyring."""
    try:
        keyring, _errors = _keyring()
        return keyring.get_password(SERVICE, _username(backend_url))
    except Exception:
        return None


def token_for(backend_url: str) -> tuple[str | None, str]:
    """(token, where it came from): env first, then the keyring."""
    if token := os.environ.get(ENV_TOKEN):
        return token, "env"
    if token := stored_token(backend_url):
        return token, "keyring"
    return None, ""


def save_token(backend_url: str, token: str) -> None:
    """Store the token and read it back; raises KeyringUnavailable when that fails."""
    keyring, errors = _keyring()
    try:
        keyring.set_password(SERVICE, _username(backend_url), token)
        if keyring.get_password(SERVICE, _username(backend_url)) != token:
            raise KeyringUnavailable("the keyring did not return what was stored")
    except errors.KeyringError as exc:
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from exc


def forget_token(backend_url: str) -> bool:
    """Delete the stored token; False if there was none."""
    keyring, errors = _keyring()
    try:
        keyring.delete_password(SERVICE, _username(backend_url))
    except errors.PasswordDeleteError:
        return False
    except errors.KeyringError as exc:
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return True
