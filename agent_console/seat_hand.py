"""A supervisor's hand on another seat (issue 16), without Textual: what the seat dialog
offers, whether a message can go, and what the supervisor is told when the backend
did it or refused (screens/supervisor/seat_actions.py and screens/reassign.py draw it).
"""

from __future__ import annotations

from agent_console.agent_state import NOT_READY_REASONS, reason_label
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _

#: The longest floor message the backend takes (one line on the agent's strip).
MAX_MESSAGE = 200

READY, SIGN_OUT = "ready", "sign_out"


def choices() -> list[tuple[str, str]]:
    """(value, label) of the dialog's actions: ready, not ready for each reason (the
    reason picker), sign out. Values are `ready`, `not_ready:<reason>`, `sign_out`."""
    offered = [(READY, _("Ready"))]
    offered += [
        (f"not_ready:{code}", _("Not ready: {reason}").format(reason=_(label)))
        for code, label in NOT_READY_REASONS
    ]
    offered.append((SIGN_OUT, _("Sign out…")))
    return offered


#: Reasons a supervisor may pick for a sign-out (or type their own); the agent's lock
#: shows the words (the backend keeps them as given).
SIGN_OUT_REASONS = (
    N_("end of shift"),
    N_("seat needed for someone else"),
    N_("too long away from the seat"),
    N_("system maintenance"),
)


def sign_out_reasons() -> list[str]:
    """The offered reasons, in the console's language."""
    return [_(r) for r in SIGN_OUT_REASONS]


def sign_out_reason(text: str) -> str:
    """The reason as it will be sent: one line, at most what the backend takes."""
    return one_line(text)[:MAX_MESSAGE]


def one_line(text: str) -> str:
    """The message as it will be sent: one line, spaces collapsed."""
    return " ".join(text.split())


def message_problem(text: str) -> str | None:
    """Why the message cannot go as typed, or None."""
    line = one_line(text)
    if not line:
        return _("Type the message first.")
    if len(line) > MAX_MESSAGE:
        return _("Too long: {n} characters, at most {max}.").format(n=len(line), max=MAX_MESSAGE)
    return None


def who(agent_no: str, name: str) -> str:
    return f"{name} ({agent_no})" if name else agent_no


def done(value: str, agent_no: str, name: str) -> str:
    """What the supervisor is told once the backend has done `value` (or "message")."""
    agent = who(agent_no, name)
    if value == READY:
        return _("{agent} is ready now.").format(agent=agent)
    if value == SIGN_OUT:
        return _("{agent} is signed out; their console says so.").format(agent=agent)
    if value == "message":
        return _("Message sent to {agent}; it shows until they mark it read.").format(agent=agent)
    _state, _sep, reason = value.partition(":")
    return _("{agent} is not ready now: {reason}.").format(agent=agent, reason=reason_label(reason))


def refusal(exc: BackendError | BackendUnavailable, agent_no: str) -> str:
    """The backend's refusal (or absence) in words a supervisor acts on."""
    if isinstance(exc, BackendUnavailable):
        return _("Backend unreachable: nothing was changed. Try again in a moment.")
    if exc.code == "agent_busy":
        return _(
            "Agent {agent} is on a call or wrapping one up: try again after the call, "
            "or send a message."
        ).format(agent=agent_no)
    if exc.status == 404:
        return _("No agent {agent} (or no such ticket).").format(agent=agent_no)
    if exc.status == 403:
        return _("Only a supervisor may do this.")
    return exc.message


#: Who may own a ticket (the backend refuses trainees: their tickets are practice).
TICKET_OWNERS = ("agent", "mentor", "supervisor")


def reassign_targets(
    seats: list[tuple[str, str, str, str]], stations: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(value, label) for the reassign picker from seats (id, agent_no, name, role) and
    stations (code, name): `agent:<id>` for agents who own tickets, `station:<code>`."""
    offered = [
        (f"agent:{agent_id}", _("Agent {agent}").format(agent=who(agent_no, name)))
        for agent_id, agent_no, name, role in seats
        if role in TICKET_OWNERS
    ]
    offered += [
        (f"station:{code}", _("Station {code} {name}").format(code=code, name=name))
        for code, name in stations
    ]
    return offered


def filter_targets(targets: list[tuple[str, str]], query: str) -> list[tuple[str, str]]:
    """The reassign picker's entries that hold every word of `query` (a few letters or
    digits of a name, an agent number, a station's code or name), case ignored; the
    entries where a word starts a number or a name come first. An empty query: all."""
    words = query.casefold().split()
    if not words:
        return list(targets)
    first: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for value, label in targets:
        text = f"{value.partition(':')[2]} {label}".casefold()
        if not all(w in text for w in words):
            continue
        parts = text.replace("(", " ").replace(")", " ").split()
        starts = any(p.startswith(w) for w in words for p in parts)
        (first if starts else rest).append((value, label))
    return first + rest
