"""Which actions a role may use (ActionSpec.roles): the App and the screens refuse the
others in `check_action`, which also hides them from the key bar, and help (F1) lists
only what the signed-in role can press. The backend's access table still decides what
is allowed; this only keeps keys that would be refused out of an agent's sight.
No Textual here."""

from __future__ import annotations

import ast
import re
from functools import cache

from agent_console.actions import CATALOGUE, ActionSpec

_ACTION = re.compile(r"^(?:app\.)?(?P<name>\w+)(?:\((?P<args>.*)\))?$")


def spec_allowed(spec: ActionSpec, role: str | None) -> bool:
    """Everyone may use an action with no roles; the others only its roles (signed in)."""
    return not spec.roles or (role is not None and role in spec.roles)


def _parsed(action: str) -> tuple[str, tuple[object, ...]]:
    match = _ACTION.match(action)
    if match is None:
        return action, ()
    args = match.group("args")
    try:
        params = ast.literal_eval(f"({args},)") if args else ()
    except (ValueError, SyntaxError):
        params = ()
    return match.group("name"), tuple(params)


@cache
def _gated(scope: str) -> dict[tuple[str, tuple[object, ...]], frozenset[str]]:
    """(action name, parameters) -> roles, for the role-bound actions of one scope."""
    return {_parsed(s.action): s.roles for s in CATALOGUE if s.scope == scope and s.roles}


def action_allowed(
    scope: str, action: str, parameters: tuple[object, ...], role: str | None
) -> bool:
    """For a node's `check_action`: may `role` run this action of `scope`?"""
    roles = _gated(scope).get((action, tuple(parameters)))
    return roles is None or (role is not None and role in roles)


def visible(specs: list[ActionSpec] | tuple[ActionSpec, ...], role: str | None) -> list[ActionSpec]:
    """The actions help (F1) lists for `role`."""
    return [s for s in specs if spec_allowed(s, role)]
