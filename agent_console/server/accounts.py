"""Accounts made by the centre's admin on the backend's host (`agent-console account
add`), every role the allow-list knows: an agent, a trainee, a mentor, a supervisor, a
field station's staff, or a wall screen's own account (role `wall`: it reads the board
and nothing else). Until now only the demo data or a role change made one.

The account's id is its agent number (as in the demo). The password is stored hashed;
the creation is in the audit log (no actor: the admin is at the host, not signed in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_console.server.access import ROLES
from agent_console.server.security import hash_password
from agent_console.server.storage import Storage
from agent_console.server.storage.base import Row

#: An agent number: what an agent types at the sign-in and says in the greeting.
AGENT_NO = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,31}")
MIN_PASSWORD = 8
LANGUAGES = ("zh", "en")


class AccountProblem(ValueError):
    """Why the account cannot be made, in one line for the admin."""


@dataclass(frozen=True)
class NewAccount:
    agent_no: str
    name: str
    role: str
    password: str
    hotline: str = ""
    team: str = ""
    station: str = ""
    language: str = "zh"

    def problem(self) -> str | None:
        """What is wrong with the fields themselves (the database is not asked)."""
        if not AGENT_NO.fullmatch(self.agent_no):
            return f"agent number {self.agent_no!r}: letters, digits, - or _, at most 32"
        if not self.name.strip():
            return "the name is empty"
        if self.role not in ROLES:
            return f"role {self.role!r}: one of {', '.join(sorted(ROLES))}"
        if self.language not in LANGUAGES:
            return f"language {self.language!r}: zh or en"
        if len(self.password) < MIN_PASSWORD:
            return f"the password is shorter than {MIN_PASSWORD} characters"
        if self.role == "station" and not self.station:
            return "a field station's account needs --station CODE"
        if self.station and self.role != "station":
            return "--station is for a field station's account (--role station) only"
        return None


def create_account(storage: Storage, account: NewAccount) -> Row:
    """Store the account; AccountProblem (nothing stored) when it cannot be made."""
    problem = account.problem()
    if problem:
        raise AccountProblem(problem)
    if storage.get_agent(account.agent_no) is not None:
        raise AccountProblem(f"agent number {account.agent_no} exists already")
    if account.station and account.station not in {s["code"] for s in storage.list_stations()}:
        raise AccountProblem(f"no field station {account.station!r}")
    row = {
        "id": account.agent_no,
        "name": " ".join(account.name.split()),
        "role": account.role,
        "agent_no": account.agent_no,
        "hotline": account.hotline,
        "language": account.language,
        "password_hash": hash_password(account.password),
        "station": account.station,
        "extension": "",
        "team": account.team,
    }
    storage.bulk_load("agents", [row])
    storage.audit(None, "account_create", f"agent:{account.agent_no}", f"role {account.role}")
    created = storage.get_agent(account.agent_no)
    assert created is not None
    return created
