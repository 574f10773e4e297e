"""Zammad's generic CTI push API, as a PBX speaks it: the fields of one event, read from
a form-encoded or JSON body, and what each event does (server/call_flow.py).

Events: `newCall` (from, to, direction, callId, user[], queue), `answer` (callId,
answeringNumber or user[]), `hangup` (callId, cause, answeringNumber: a hangup with
normalClearing that names who answered a call still ringing here means it was
answered, for a PBX that sends no `answer`). `user[]` and
`answeringNumber` name agents by agent number, extension or display name. The answer
is a JSON object, `{}` (Zammad answers an action such as a reject only for numbers it
blocks, which this backend does not do).

A PBX retries and sends what it sends: an event for a call this server never heard of
is answered `{}` and logged, never an error; an unknown event or no callId is a 422.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl

from agent_console.server import call_flow
from agent_console.server.event_bus import EventBus
from agent_console.server.storage import Storage
from agent_console.server.storage.sql.call_life import CALL_ROLES

log = logging.getLogger("agent_console.server.cti")

EVENTS = ("newCall", "answer", "hangup")
MAX_BODY = 64 * 1024
MAX_USERS = 32
_LIMITS = {"callId": 250, "from": 64, "to": 64, "queue": 100, "cause": 40, "user": 100}


class CtiInvalid(ValueError):
    """The body is not a CTI event (422; a 400 for a body that is not readable)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CtiEvent:
    event: str
    call_ref: str
    number_from: str = ""
    number_to: str = ""
    direction: str = "in"
    users: tuple[str, ...] = ()
    queue: str = ""
    cause: str = ""
    answering: str = ""


def _text(value: Any, limit: int) -> str | None:
    """A scalar as clean one-line text (control characters dropped), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return "".join(ch for ch in str(value) if ch.isprintable())[:limit].strip()


def body_pairs(content_type: str, body: bytes) -> list[tuple[str, Any]]:
    """The body's fields in order, repeated keys kept (`user[]=a&user[]=b`)."""
    if len(body) > MAX_BODY:
        raise CtiInvalid("the body is too large", 413)
    if "json" in content_type.lower():
        try:
            data = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise CtiInvalid("the body is not valid JSON", 400) from None
        if not isinstance(data, dict):
            raise CtiInvalid("the body must be a JSON object")
        pairs: list[tuple[str, Any]] = []
        for key, value in cast("dict[str, object]", data).items():
            values = cast("list[object]", value) if isinstance(value, list) else [value]
            pairs.extend((str(key), v) for v in values[:MAX_USERS])
        return pairs
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise CtiInvalid("the body is not UTF-8", 400) from None
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        raise CtiInvalid("too many fields") from None


def parse(pairs: Iterable[tuple[str, Any]]) -> CtiEvent:
    """The event in `pairs`; unknown fields are ignored, junk values read as absent."""
    one: dict[str, str] = {}
    users: list[str] = []
    for key, value in pairs:
        name = "user" if key in ("user", "user[]") else key
        text = _text(value, _LIMITS.get(name, 100))
        if text is None:
            continue
        if name == "user":
            if text and len(users) < MAX_USERS:
                users.append(text)
        else:
            one.setdefault(name, text)
    event = one.get("event", "")
    if event not in EVENTS:
        raise CtiInvalid(f"event must be one of {', '.join(EVENTS)}")
    if not one.get("callId"):
        raise CtiInvalid("callId is required")
    direction = one.get("direction", "in")
    return CtiEvent(
        event=event,
        call_ref=one["callId"],
        number_from=one.get("from", ""),
        number_to=one.get("to", ""),
        direction=direction if direction in ("in", "out") else "in",
        users=tuple(dict.fromkeys(users)),
        queue=one.get("queue", ""),
        cause=one.get("cause", ""),
        answering=one.get("answeringNumber", ""),
    )


def agents_named(storage: Storage, names: Iterable[str]) -> list[str]:
    """The ids of the call-taking agents `names` mean (others are logged and skipped)."""
    found: list[str] = []
    for name in names:
        agent = storage.find_agent(name)
        if agent is None or agent["role"] not in CALL_ROLES:
            log.info("CTI: %r names no agent who takes calls; not rung", name)
        elif agent["id"] not in found:
            found.append(str(agent["id"]))
    return found


def handle(storage: Storage, bus: EventBus, ev: CtiEvent, source: str = "cti") -> dict[str, Any]:
    """Apply one event; the answer for the PBX."""
    if ev.event == "newCall":
        number = ev.number_to if ev.direction == "out" else ev.number_from
        agents = agents_named(storage, ev.users)
        call, created = call_flow.ring(
            storage,
            bus,
            number,
            agents,
            call_ref=ev.call_ref,
            direction=ev.direction,
            queue=ev.queue,
            source=source,
        )
        if not created:
            log.info("CTI: newCall %r repeated; call %s unchanged", ev.call_ref, call["id"])
        return {}
    call = storage.call_by_ref(ev.call_ref)
    if call is None:
        log.warning("CTI: %s for unknown callId %r ignored", ev.event, ev.call_ref)
        return {}
    if ev.event == "answer":
        who = agents_named(storage, [ev.answering] if ev.answering else ev.users)
        if not who and len(rung := storage.call_rings(call["id"])) == 1:
            who = rung  # rang at one agent only: that agent answered
        outcome, _ = call_flow.answer(storage, bus, call, who[0] if who else "")
        if outcome != "answered":
            log.info("CTI: answer %r ignored (%s)", ev.call_ref, outcome)
        return {}
    if call["state"] == "ringing" and ev.answering and ev.cause == "normalClearing":
        # A PBX that sends no `answer` says who had the call in the hangup.
        who = agents_named(storage, [ev.answering])
        if who:
            call_flow.answer(storage, bus, call, who[0])
    changed, _ = call_flow.hang_up(storage, bus, call, ev.cause)
    if not changed:
        log.info("CTI: hangup %r repeated; call %s already over", ev.call_ref, call["id"])
    return {}
