"""What a practice scenario is, once its file has been read and checked.

A scenario describes one simulated call: who rings (a demo caller or a directory
listing the real backend finds), what they say and when, what they know, what a good
call does (the rubric), the hints a mentor would give, and the fastest known way
through it on the keyboard. Files are read and validated by `loader`; nothing here
reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOTLINES = ("961655", "10000", "114")
LANGUAGES = ("zh", "en")
# Screens the console emits ScreenOpened for. "directory" is the 114 screen that
# issue 3 adds; "card" and "article" are the screens opened from a hit.
SCREENS = ("lookup", "directory", "card", "scripts", "kb", "article", "ticket", "help")
STAGES = ("greeting", "verification", "hold", "transfer", "apology", "closing")
HIT_KINDS = ("caller", "listing", "article")
SMS_KINDS = ("directory", "kb", "account", "script", "other")
CHECK_KINDS = ("script", "caller", "listing", "article", "sms", "ticket", "said", "screen")
HINT_TRIGGERS = ("idle", "screen", "query", "hit")
QUERY_KINDS = ("digits", "letters", "cjk", "mixed")
START = "start"


@dataclass(frozen=True)
class Bilingual:
    """A text in Chinese and English; the trainee sees the console's language."""

    zh: str
    en: str

    def pick(self, language: str) -> str:
        first, other = (self.en, self.zh) if language == "en" else (self.zh, self.en)
        return first or other


@dataclass(frozen=True)
class Condition:
    """Something the trainee does, recognised from the events the console emits.

    kind -> what it matches:
      script  a script line of `stage` said (its text containing one of `any`, if given)
      caller  the caller card with account number `ref` opened
      listing the listing with number `ref` opened, or sent by SMS
      article the article with slug `ref` opened, or sent by SMS
      sms     an SMS of `sms_kind` (and `ref`, if given) sent
      ticket  a ticket saved whose category/station/priority/source are among those given
      said    the trainee's words (scripts said, notes, SMS, ticket summary) contain
              one of `any`, all of `all`, and `in_order` in that order
      screen  `screen` opened
    """

    kind: str
    stage: str = ""
    ref: str = ""
    sms_kind: str = ""
    screen: str = ""
    category: tuple[str, ...] = ()
    station: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    in_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    """A condition with a name. Rubric items (weight > 0) are scored; plain milestones
    only move the call on (caller lines, hints)."""

    id: str
    condition: Condition
    weight: int = 0
    label: Bilingual | None = None
    skill: str = ""  # what it trains (greeting, lookup, knowledge, ticket...): drills use it
    within: float | None = None  # met only if done within this many seconds of the start
    before: str = ""  # met only if done before that milestone (or that one never happened)
    forbid: bool = False  # met when the condition never happened

    @property
    def scored(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class Line:
    """A caller line, revealed in file order once `on` happened (or after `after_seconds`
    of the trainee not getting there: the caller moves on by themselves)."""

    id: str
    on: str  # START or a milestone id
    text: str
    after_seconds: float | None = None


@dataclass(frozen=True)
class Hint:
    """A scripted mentor hint. Fires at most once, never after `unless` is met, never
    before line `after` was said. `text` may name the key of `action` as {key}."""

    id: str
    on: str  # one of HINT_TRIGGERS
    text: Bilingual
    action: str = ""
    seconds: float | None = None  # idle: how long the trainee stalls (default from config)
    screens: tuple[str, ...] = ()  # screen: opening one of these; query: typed on these
    query: tuple[str, ...] = ()  # query: the typed text is of one of these QUERY_KINDS
    hit: str = ""  # hit: kind of hit opened
    match: tuple[str, ...] = ()  # hit: opened through one of these match kinds
    unless: str = ""
    after: str = ""


@dataclass(frozen=True)
class PathStep:
    """One step of the fastest known path: an action id, typed text, text typed through
    a pinyin input method (`value` the keys pressed, `text` what lands), or a plain key."""

    kind: str  # "action" | "type" | "ime" | "key"
    value: str
    text: str = ""  # ime: the characters the keys produce


@dataclass(frozen=True)
class CallerRef:
    """The caller this scenario plays; `account_no` is the key the lookup finds. The rest
    is the practice caller card: practice mode looks callers up among the scenarios'
    callers, never in production (issue 14; agent_console/practice/callers.py)."""

    account_no: str
    name: str = ""
    phone: str = ""
    address: str = ""
    compound: str = ""
    served: bool | None = None
    station: str = ""
    language: str = "zh"
    id_number: str = ""
    customer_since: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ListingRef:
    """The directory listing the caller asks for (name + number are the stable key)."""

    name: str
    number: str
    department: str = ""


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Bilingual
    hotline: str
    difficulty: int
    language: str
    par_seconds: float
    lines: tuple[Line, ...]
    rubric: tuple[Milestone, ...]
    fastest: tuple[PathStep, ...]
    briefing: Bilingual | None = None
    tags: tuple[str, ...] = ()
    caller: CallerRef | None = None
    listing: ListingRef | None = None
    unlisted: str = ""  # an organisation the directory does not have
    facts: dict[str, str] = field(default_factory=dict[str, str])
    milestones: tuple[Milestone, ...] = ()
    hints: tuple[Hint, ...] = ()
    source: str = ""  # the file it came from

    def milestone(self, ident: str) -> Milestone | None:
        for m in (*self.rubric, *self.milestones):
            if m.id == ident:
                return m
        return None

    @property
    def all_milestones(self) -> tuple[Milestone, ...]:
        return (*self.rubric, *self.milestones)

    @property
    def max_score(self) -> int:
        return sum(m.weight for m in self.rubric)
