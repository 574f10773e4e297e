"""Plain dataclasses shared by the client and the screens (no Textual, no HTTP).

`from_json` takes already-cleaned JSON (see client) and tolerates extra fields, so a
newer backend does not break an older console.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar


def _str(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return default if value is None else str(value)


def _int(data: dict[str, Any], key: str, default: int = 0) -> int:
    try:
        return int(data.get(key, default))
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    role: str
    agent_no: str
    hotline: str = ""
    language: str = "zh"
    station: str = ""  # field-station staff: their station

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Agent:
        return cls(
            id=_str(d, "id"),
            name=_str(d, "name"),
            role=_str(d, "role", "agent"),
            agent_no=_str(d, "agent_no"),
            hotline=_str(d, "hotline"),
            language=_str(d, "language", "zh"),
            station=_str(d, "station"),
        )

    @property
    def is_trainee(self) -> bool:
        return self.role == "trainee"


@dataclass(frozen=True)
class Ticket:
    id: int
    caller_id: int | None
    category: str
    priority: str
    source: str
    summary: str
    notes: str
    station_id: str
    status: str
    created_at: str
    updated_at: str = ""
    area: str = "production"
    callback_due: str | None = None
    satisfaction: int | None = None
    created_by: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Ticket:
        return cls(
            id=int(d["id"]),
            caller_id=d.get("caller_id"),
            category=_str(d, "category"),
            priority=_str(d, "priority", "normal"),
            source=_str(d, "source", "hotline"),
            summary=_str(d, "summary"),
            notes=_str(d, "notes"),
            station_id=_str(d, "station_id"),
            status=_str(d, "status", "new"),
            created_at=_str(d, "created_at"),
            updated_at=_str(d, "updated_at"),
            area=_str(d, "area", "production"),
            callback_due=d.get("callback_due"),
            satisfaction=d.get("satisfaction"),
            created_by=_str(d, "created_by"),
        )


@dataclass(frozen=True)
class Caller:
    id: int
    name: str
    phone: str  # masked by the server unless explicitly unmasked
    account_no: str = ""
    address: str = ""
    compound: str = ""
    language: str = "zh"
    id_number: str = ""
    account_status: str = "active"
    customer_since: str = ""
    notes: str = ""
    served: bool | None = None
    station: str = ""
    match: str = ""
    recent_tickets: tuple[Ticket, ...] = ()
    open_followups: tuple[Ticket, ...] = ()
    tickets_30d: int = 0  # tickets in the last 30 days (repeat callers get extra care)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Caller:
        return cls(
            id=int(d["id"]),
            name=_str(d, "name"),
            phone=_str(d, "phone"),
            account_no=_str(d, "account_no"),
            address=_str(d, "address"),
            compound=_str(d, "compound"),
            language=_str(d, "language", "zh"),
            id_number=_str(d, "id_number"),
            account_status=_str(d, "account_status", "active"),
            customer_since=_str(d, "customer_since"),
            notes=_str(d, "notes"),
            served=d.get("served"),
            station=_str(d, "station"),
            match=_str(d, "match"),
            recent_tickets=tuple(Ticket.from_json(t) for t in d.get("recent_tickets") or ()),
            open_followups=tuple(Ticket.from_json(t) for t in d.get("open_followups") or ()),
            tickets_30d=_int(d, "tickets_30d"),
        )


@dataclass(frozen=True)
class Listing:
    id: int
    name: str
    number: str
    address: str = ""
    department: str = ""
    category: str = ""
    name_en: str = ""
    match: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Listing:
        return cls(
            id=int(d["id"]),
            name=_str(d, "name"),
            number=_str(d, "number"),
            address=_str(d, "address"),
            department=_str(d, "department"),
            category=_str(d, "category"),
            name_en=_str(d, "name_en"),
            match=_str(d, "match"),
        )


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    updated_at: str
    tags: tuple[str, ...] = ()
    language: str = "zh"
    short_answer: str = ""
    match: str = ""
    slug: str = ""  # the article's stable key (practice scenarios name articles by it)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleHit:
        snippet = _str(d, "snippet")
        spans = []
        for span in d.get("highlights") or ():
            try:
                start, end = int(span[0]), int(span[1])
            except (TypeError, ValueError, IndexError):
                continue
            if 0 <= start < end <= len(snippet):
                spans.append((start, end))
        return cls(
            id=int(d["id"]),
            title=_str(d, "title"),
            snippet=snippet,
            highlights=tuple(spans),
            updated_at=_str(d, "updated_at"),
            tags=tuple(str(t) for t in d.get("tags") or ()),
            language=_str(d, "language", "zh"),
            short_answer=_str(d, "short_answer"),
            match=_str(d, "match"),
            slug=_str(d, "slug"),
        )


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    body: str
    updated_at: str
    updated_by: str = ""
    tags: tuple[str, ...] = ()
    language: str = "zh"
    short_answer: str = ""
    hotline: str = "all"
    open_flags: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=int(d["id"]),
            title=_str(d, "title"),
            body=_str(d, "body"),
            updated_at=_str(d, "updated_at"),
            updated_by=_str(d, "updated_by"),
            tags=tuple(str(t) for t in d.get("tags") or ()),
            language=_str(d, "language", "zh"),
            short_answer=_str(d, "short_answer"),
            hotline=_str(d, "hotline", "all"),
            open_flags=_int(d, "open_flags"),
        )


@dataclass(frozen=True)
class Script:
    id: int
    hotline: str
    stage: str
    language: str
    title: str
    body: str
    time_of_day: str = "any"
    sort: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Script:
        return cls(
            id=int(d["id"]),
            hotline=_str(d, "hotline"),
            stage=_str(d, "stage"),
            language=_str(d, "language", "zh"),
            title=_str(d, "title"),
            body=_str(d, "body"),
            time_of_day=_str(d, "time_of_day", "any"),
            sort=_int(d, "sort"),
        )


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    name_en: str = ""
    priority_default: str = "normal"
    children: tuple[Category, ...] = field(default=())
    initials: str = ""  # pinyin initials of the name, from the backend

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Category:
        return cls(
            id=_str(d, "id"),
            name=_str(d, "name"),
            name_en=_str(d, "name_en"),
            priority_default=_str(d, "priority_default", "normal"),
            children=tuple(cls.from_json(c) for c in d.get("children") or ()),
            initials=_str(d, "initials"),
        )

    def walk(self, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Category]]:
        """Every node under this one with the names leading to it, depth first."""
        here = (*path, self.name)
        out = [(here, self)]
        for child in self.children:
            out += child.walk(here)
        return out


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    district: str = ""
    phone: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Station:
        return cls(
            code=_str(d, "code"),
            name=_str(d, "name_zh") or _str(d, "name"),
            district=_str(d, "district"),
            phone=_str(d, "phone"),
        )


@dataclass(frozen=True)
class Sms:
    id: int
    to: str
    body: str
    kind: str
    status: str
    created_at: str
    caller_id: int | None = None
    ref: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Sms:
        return cls(
            id=int(d["id"]),
            to=_str(d, "to"),
            body=_str(d, "body"),
            kind=_str(d, "kind"),
            status=_str(d, "status"),
            created_at=_str(d, "created_at"),
            caller_id=d.get("caller_id"),
            ref=_str(d, "ref"),
        )


# -- practice (trainees and mentors) -------------------------------------------------
def _float(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


@dataclass(frozen=True)
class PracticeItem:
    id: str
    label: str
    skill: str
    weight: int
    met: bool
    at_s: float | None = None
    took_s: float | None = None
    why: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeItem:
        return cls(
            id=_str(d, "id"),
            label=_str(d, "label"),
            skill=_str(d, "skill"),
            weight=int(d.get("weight") or 0),
            met=bool(d.get("met")),
            at_s=_float(d, "at_s"),
            took_s=_float(d, "took_s"),
            why=_str(d, "why"),
        )


@dataclass(frozen=True)
class PracticeResult:
    """One practice call as the backend stored it (the debrief, per trainee)."""

    id: int
    trainee_id: str
    scenario_id: str
    score: int
    duration_s: float
    created_at: str
    trainee_name: str = ""
    title: str = ""
    hotline: str = ""
    difficulty: int = 1
    drill_id: str = ""
    par_s: float = 0.0
    keystrokes: int = 0
    fastest_keystrokes: int = 0
    hints: int = 0
    mentor_hints: int = 0
    hands: int = 0
    items: tuple[PracticeItem, ...] = ()
    timeline: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeResult:
        return cls(
            id=int(d["id"]),
            trainee_id=_str(d, "trainee_id"),
            scenario_id=_str(d, "scenario_id"),
            score=int(d.get("score") or 0),
            duration_s=float(d.get("duration_s") or 0),
            created_at=_str(d, "created_at"),
            trainee_name=_str(d, "trainee_name"),
            title=_str(d, "title"),
            hotline=_str(d, "hotline"),
            difficulty=int(d.get("difficulty") or 1),
            drill_id=_str(d, "drill_id"),
            par_s=float(d.get("par_s") or 0),
            keystrokes=int(d.get("keystrokes") or 0),
            fastest_keystrokes=int(d.get("fastest_keystrokes") or 0),
            hints=int(d.get("hints") or 0),
            mentor_hints=int(d.get("mentor_hints") or 0),
            hands=int(d.get("hands") or 0),
            items=tuple(PracticeItem.from_json(i) for i in d.get("items") or ()),
            timeline=tuple(t for t in d.get("timeline") or () if isinstance(t, dict)),
        )


@dataclass(frozen=True)
class RaisedHand:
    id: int
    trainee_id: str
    status: str  # raised, taken, answered, lowered
    raised_at: str
    trainee_name: str = ""
    scenario_id: str = ""
    step: str = ""
    note: str = ""
    mentor_id: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RaisedHand:
        return cls(
            id=int(d["id"]),
            trainee_id=_str(d, "trainee_id"),
            status=_str(d, "status", "raised"),
            raised_at=_str(d, "raised_at"),
            trainee_name=_str(d, "trainee_name"),
            scenario_id=_str(d, "scenario_id"),
            step=_str(d, "step"),
            note=_str(d, "note"),
            mentor_id=d.get("mentor_id"),
        )


@dataclass(frozen=True)
class PracticeHint:
    """A live hint a mentor sent a trainee."""

    id: int
    trainee_id: str
    text: str
    created_at: str
    mentor_id: str = ""
    mentor_name: str = ""
    hand_id: int | None = None
    canned: str = ""
    seen_at: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PracticeHint:
        return cls(
            id=int(d["id"]),
            trainee_id=_str(d, "trainee_id"),
            text=_str(d, "text"),
            created_at=_str(d, "created_at"),
            mentor_id=_str(d, "mentor_id"),
            mentor_name=_str(d, "mentor_name"),
            hand_id=d.get("hand_id"),
            canned=_str(d, "canned"),
            seen_at=d.get("seen_at"),
        )


# -- lookup pages and unmasking (issue 3) --------------------------------------------
T = TypeVar("T")


@dataclass(frozen=True)
class SearchPage(Generic[T]):
    """Search hits, best first; `partial` when the backend stopped at its time budget."""

    items: tuple[T, ...]
    partial: bool = False

    @classmethod
    def from_json(cls, d: Any, item: Callable[[dict[str, Any]], T]) -> SearchPage[T]:
        raw = d.get("items", []) if isinstance(d, dict) else []
        items = tuple(item(i) for i in raw if isinstance(i, dict))
        return cls(items, bool(d.get("partial")) if isinstance(d, dict) else False)


@dataclass(frozen=True)
class Unmasked:
    """A caller's phone and ID number in full, as returned (and audited) on request."""

    id: int
    phone: str
    id_number: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Unmasked:
        return cls(id=int(d["id"]), phone=_str(d, "phone"), id_number=_str(d, "id_number"))


# -- guided scripts, hotlines, article flags (issue 4) ---------------------------------
@dataclass(frozen=True)
class GuideChoice:
    label: str
    note: str
    next: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> GuideChoice:
        return cls(label=_str(d, "label"), note=_str(d, "note"), next=_str(d, "next"))


@dataclass(frozen=True)
class GuideStep:
    id: str
    say: str
    extras: tuple[str, ...] = ()
    choices: tuple[GuideChoice, ...] = ()
    summary: str = ""
    priority: str = ""
    category: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> GuideStep:
        return cls(
            id=_str(d, "id"),
            say=_str(d, "say"),
            extras=tuple(str(e) for e in d.get("extras") or ()),
            choices=tuple(
                GuideChoice.from_json(c) for c in d.get("choices") or () if isinstance(c, dict)
            ),
            summary=_str(d, "summary"),
            priority=_str(d, "priority"),
            category=_str(d, "category"),
        )

    @property
    def is_end(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Guide:
    """A guided script: steps to walk the caller through, ending in a ticket pre-fill."""

    id: int
    slug: str
    hotline: str
    language: str
    title: str
    start: str
    steps: tuple[GuideStep, ...]
    keywords: tuple[str, ...] = ()
    category: str = ""
    priority: str = "normal"
    summary: str = ""
    sort: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Guide:
        return cls(
            id=int(d["id"]),
            slug=_str(d, "slug"),
            hotline=_str(d, "hotline"),
            language=_str(d, "language", "zh"),
            title=_str(d, "title"),
            start=_str(d, "start"),
            steps=tuple(
                GuideStep.from_json(s) for s in d.get("steps") or () if isinstance(s, dict)
            ),
            keywords=tuple(str(k) for k in d.get("keywords") or ()),
            category=_str(d, "category"),
            priority=_str(d, "priority", "normal"),
            summary=_str(d, "summary"),
            sort=_int(d, "sort"),
        )

    def step(self, step_id: str) -> GuideStep | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class Hotline:
    code: str
    kind: str = ""
    name_zh: str = ""
    name_en: str = ""
    centre_zh: str = ""
    centre_en: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Hotline:
        return cls(
            code=_str(d, "code"),
            kind=_str(d, "kind"),
            name_zh=_str(d, "name_zh"),
            name_en=_str(d, "name_en"),
            centre_zh=_str(d, "centre_zh"),
            centre_en=_str(d, "centre_en"),
        )

    def centre(self, language: str) -> str:
        return self.centre_en if language == "en" else self.centre_zh


@dataclass(frozen=True)
class KbFlag:
    id: int
    article_id: int
    reason: str
    comment: str
    status: str
    created_at: str
    article_title: str = ""
    agent_id: str = ""
    agent_name: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> KbFlag:
        return cls(
            id=int(d["id"]),
            article_id=int(d["article_id"]),
            reason=_str(d, "reason"),
            comment=_str(d, "comment"),
            status=_str(d, "status", "open"),
            created_at=_str(d, "created_at"),
            article_title=_str(d, "article_title"),
            agent_id=_str(d, "agent_id"),
            agent_name=_str(d, "agent_name"),
        )


# -- the closed loop, agent state (issue 5) ------------------------------------------
@dataclass(frozen=True)
class TicketEvent:
    at: str
    agent_id: str
    change: dict[str, Any]

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TicketEvent:
        change = d.get("change")
        return cls(_str(d, "at"), _str(d, "agent_id"), change if isinstance(change, dict) else {})


@dataclass(frozen=True)
class LoopTicket:
    """A ticket with what the follow-up work needs: overdue, comment, its history."""

    ticket: Ticket
    overdue: bool = False
    satisfaction_comment: str = ""
    history: tuple[TicketEvent, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LoopTicket:
        return cls(
            ticket=Ticket.from_json(d),
            overdue=bool(d.get("overdue")),
            satisfaction_comment=_str(d, "satisfaction_comment"),
            history=tuple(TicketEvent.from_json(e) for e in d.get("history") or () if e),
        )


@dataclass(frozen=True)
class AgentStatus:
    """One seat as a supervisor sees it."""

    agent_id: str
    name: str
    state: str
    reason: str = ""
    since: str | None = None
    call_id: int | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AgentStatus:
        call_id = d.get("call_id")
        return cls(
            agent_id=_str(d, "agent_id"),
            name=_str(d, "name"),
            state=_str(d, "state", "offline"),
            reason=_str(d, "reason"),
            since=d.get("since"),
            call_id=call_id if isinstance(call_id, int) else None,
        )
