"""The events the console emits while a trainee practises, and what the engine answers.

In: small frozen dataclasses, one per thing a trainee does. The engine stamps each
with its injected clock when it is fed, so events carry no time of their own.
Out: a caller line to show, or a hint to show (scripted or from a live mentor).

Refs are the stable keys the scenarios use, not database ids:
  caller  -> the payment account number (交费编号), as on the caller card
  listing -> the listing's number as shown ("0471-6929495"; compared by digits)
  article -> the article's slug ("heat-air-lock")
"""

from __future__ import annotations

from dataclasses import dataclass

# -- what the trainee does (console -> engine) ---------------------------------------


@dataclass(frozen=True)
class ScreenOpened:
    screen: str  # lookup, directory, card, scripts, kb, article, ticket, help


@dataclass(frozen=True)
class Keystroke:
    """One key event the trainee pressed in practice (a chord such as ctrl+s is one).
    The engine's keystroke count is the number of these."""

    key: str = ""


@dataclass(frozen=True)
class QueryTyped:
    """A search the trainee ran (after the debounce, or on Enter)."""

    screen: str
    text: str
    keystrokes: int = 0  # keys spent on this query, backspaces included (for the review)


@dataclass(frozen=True)
class HitOpened:
    kind: str  # caller | listing | article
    ref: str
    match_kind: str = ""  # how the backend matched it: phone, account, name, initials...


@dataclass(frozen=True)
class ScriptSaid:
    stage: str  # greeting, verification, hold, transfer, apology, closing
    script_id: str = ""
    text: str = ""  # the line as filled in and said


@dataclass(frozen=True)
class SmsSent:
    kind: str  # directory | kb | account | script | other
    ref: str = ""  # listing number or article slug, as in HitOpened
    text: str = ""


@dataclass(frozen=True)
class TicketSaved:
    category: str
    station: str = ""
    priority: str = "normal"
    source: str = "hotline"
    summary: str = ""


@dataclass(frozen=True)
class NoteAdded:
    text: str


@dataclass(frozen=True)
class HandRaised:
    """The trainee pressed the raise-hand key (the console also tells the backend)."""


@dataclass(frozen=True)
class MentorHint:
    """A live hint from a mentor arrived; the engine shows it like a scripted one."""

    text: str
    hint_id: str = ""  # the backend's id, so a hint seen twice is shown once


@dataclass(frozen=True)
class CallEnded:
    """The trainee hung up (or the drill moved on); the debrief is final after this."""


@dataclass(frozen=True)
class Tick:
    """Time passed: feed one every second or so, so idle hints and a stalling caller's
    lines come on time. Not activity: it never resets the idle timer."""


Event = (
    ScreenOpened
    | Keystroke
    | QueryTyped
    | HitOpened
    | ScriptSaid
    | SmsSent
    | TicketSaved
    | NoteAdded
    | HandRaised
    | MentorHint
    | CallEnded
    | Tick
)

# -- what the engine answers (engine -> console) -------------------------------------


@dataclass(frozen=True)
class CallerLine:
    """The simulated caller says `text` (in the scenario's language)."""

    id: str
    text: str
    at: float  # seconds since the call started
    step: int  # 1-based number of this line in the scenario


@dataclass(frozen=True)
class HintShown:
    """A hint to show on the trainee's screen. `keys` is the key of `action` in the
    active keymap ("" when the hint names no action), already spelled into `text`."""

    id: str
    text: str
    at: float
    source: str  # "scripted" | "mentor"
    action: str = ""
    keys: str = ""


Output = CallerLine | HintShown
