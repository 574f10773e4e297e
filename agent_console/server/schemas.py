"""Request and response shapes of the HTTP API (v1), as published in /openapi.json.

Incoming strings are cleaned of control characters before anything stores them.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from agent_console.server.fields import BodyId
from agent_console.server.ticket_flow import PRIORITIES, SOURCES, STATUSES
from agent_console.text import clean

Clean = Annotated[str, AfterValidator(clean)]
Role = Literal["agent", "trainee", "mentor", "supervisor", "station"]
Area = Literal["production", "practice"]
Priority = Literal[PRIORITIES]  # type: ignore[valid-type]
Source = Literal[SOURCES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Patch(Strict):
    """A partial update: only the fields sent change. A field sent as `null` is refused
    by name (422), unless it is in NULLABLE, where null means "clear it"."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise PydanticCustomError(
                "null_not_allowed", "may not be null (leave the field out to keep it)"
            )
        return value


class LoginIn(Strict):
    agent_id: Clean = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=256)


class RoleIn(Strict):
    role: Role


class Agent(BaseModel):
    id: str
    name: str
    role: Role
    agent_no: str
    hotline: str
    language: str
    station: str = ""  # field-station staff: the station whose tickets they work


class LoginOut(BaseModel):
    token: str
    expires_at: str
    agent: Agent


class CallerIn(Strict):
    name: Clean = Field(min_length=1, max_length=100)
    phone: Clean = Field(min_length=3, max_length=32, pattern=r"^[\d\s\-+()]+$")
    account_no: Clean = Field(default="", max_length=32)
    address: Clean = Field(default="", max_length=300)
    compound: Clean = Field(default="", max_length=100)
    language: Clean = Field(default="zh", max_length=8)
    id_number: Clean = Field(default="", max_length=32)
    notes: Clean = Field(default="", max_length=2000)


class Caller(BaseModel):
    id: int
    name: str
    phone: str
    account_no: str
    address: str
    compound: str
    language: str
    id_number: str
    account_status: str
    customer_since: str
    notes: str
    served: bool | None
    station: str
    match: str | None = None


class TicketIn(Strict):
    caller_id: BodyId | None = None
    category: Clean = Field(min_length=1, max_length=64)
    priority: Priority = "normal"
    source: Source = "hotline"
    summary: Clean = Field(min_length=1, max_length=500)
    notes: Clean = Field(default="", max_length=10000)
    station_id: Clean = Field(default="", max_length=32)
    callback_due: Clean | None = Field(default=None, max_length=40)
    area: Area = "production"


class TicketPatch(Patch):
    NULLABLE = frozenset({"callback_due"})  # null: no callback any more

    status: Status | None = None
    priority: Priority | None = None
    station_id: Clean | None = Field(default=None, max_length=32)
    callback_due: Clean | None = Field(default=None, max_length=40)
    category: Clean | None = Field(default=None, max_length=64)
    satisfaction: StrictInt | None = Field(default=None, ge=1, le=5)
    satisfaction_comment: Clean | None = Field(default=None, max_length=1000)
    note: Clean | None = Field(default=None, max_length=2000)


class Ticket(BaseModel):
    id: int
    area: Area
    caller_id: int | None
    category: str
    priority: str
    source: str
    summary: str
    notes: str
    station_id: str
    status: str
    callback_due: str | None
    satisfaction: int | None
    satisfaction_comment: str
    created_by: str
    created_at: str
    updated_at: str
    history: list[dict[str, Any]] | None = None
    # Names beside the codes (server/ticket_names.py), on the ticket and follow-up views.
    caller_name: str = ""
    caller_phone_masked: str = ""
    category_name: str = ""
    category_name_en: str = ""
    station_name: str = ""
    station_name_en: str = ""
    code_names: dict[str, list[str]] = {}  # {code in the history: [Chinese, English]}


class CallerCard(Caller):
    recent_tickets: list[Ticket]
    open_followups: list[Ticket] = []
    tickets_30d: int = 0  # tickets in the last 30 days: a repeat caller needs extra care


class Listing(BaseModel):
    id: int
    name: str
    name_en: str
    number: str
    address: str
    department: str
    category: str
    updated_at: str
    match: str | None = None


class ArticleHit(BaseModel):
    id: int
    slug: str
    title: str
    language: str
    hotline: str
    tags: list[str]
    short_answer: str
    updated_at: str
    updated_by: str
    snippet: str
    highlights: list[list[int]]
    match: str


class Article(BaseModel):
    id: int
    slug: str
    title: str
    language: str
    hotline: str
    tags: list[str]
    short_answer: str
    body: str
    updated_at: str
    updated_by: str
    open_flags: int = 0


class Script(BaseModel):
    id: int
    hotline: str
    stage: str
    language: str
    time_of_day: str
    title: str
    body: str
    sort: int
    updated_at: str = ""
    updated_by: str = ""


class Category(BaseModel):
    id: str
    parent: str
    name: str
    name_en: str
    hotline: str
    priority_default: str
    initials: str = ""
    children: list[Category] = []


class Station(BaseModel):
    code: str
    name_zh: str
    name_en: str
    hotline: str
    district: str
    phone: str


class SmsIn(Strict):
    caller_id: BodyId | None = None
    to: Clean = Field(default="", max_length=32, pattern=r"^[\d\s\-+()]*$")
    text: Clean = Field(min_length=1, max_length=500)
    kind: Literal["directory", "kb", "account", "script", "other"] = "other"
    ref: Clean = Field(default="", max_length=100)
    area: Area = "production"


class Sms(BaseModel):
    id: int
    area: Area
    caller_id: int | None
    to: str
    body: str
    kind: str
    ref: str
    status: str
    agent_id: str
    created_at: str


class Items(BaseModel):
    items: list[Any]


# -- lookup, screen-pop, unmasking (issue 3) -------------------------------------
class SearchItems(Items):
    """Search hits; `partial` when the search stopped at its time budget (type more)."""

    partial: bool = False


class UnmaskIn(Strict):
    reason: Clean = Field(default="", max_length=200)


class Unmasked(BaseModel):
    id: int
    phone: str
    id_number: str


class SimulateCallIn(Strict):
    """A call the reference backend places to an agent, as a telephony system would."""

    agent_id: Clean | None = Field(default=None, max_length=32)
    number: Clean | None = Field(default=None, max_length=32, pattern=r"^[\d\s\-+()]+$")
    caller_id: BodyId | None = None
    unknown: bool = False


class Call(BaseModel):
    id: int
    agent_id: str
    number: str
    caller_id: int | None
    source: str
    started_at: str


class AuditEntry(BaseModel):
    id: int
    at: str
    agent_id: str | None
    action: str
    target: str
    detail: str


# -- knowledge-base editing, flags, scripts and guided scripts (issue 4) --------------
Language = Literal["zh", "en"]
Stage = Literal["greeting", "verification", "hold", "transfer", "apology", "closing"]
TimeOfDay = Literal["any", "morning", "afternoon", "evening", "night"]
Tag = Annotated[Clean, Field(min_length=1, max_length=40)]
Hotline = Annotated[Clean, Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


class ArticleIn(Strict):
    slug: Clean = Field(default="", max_length=100, pattern=r"^[a-z0-9-]*$")
    title: Clean = Field(min_length=1, max_length=200)
    language: Language = "zh"
    hotline: Hotline = "all"
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    short_answer: Clean = Field(default="", max_length=500)
    body: Clean = Field(min_length=1, max_length=100_000)


class ArticlePatch(Patch):
    slug: Clean | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")
    title: Clean | None = Field(default=None, min_length=1, max_length=200)
    language: Language | None = None
    hotline: Hotline | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)
    short_answer: Clean | None = Field(default=None, max_length=500)
    body: Clean | None = Field(default=None, min_length=1, max_length=100_000)


class FlagIn(Strict):
    reason: Literal["outdated", "wrong", "other"]
    comment: Clean = Field(min_length=1, max_length=1000)


class FlagPatch(Strict):
    status: Literal["open", "resolved"]


class Flag(BaseModel):
    id: int
    article_id: int
    article_title: str
    agent_id: str
    agent_name: str
    reason: str
    comment: str
    status: str
    created_at: str
    resolved_at: str | None
    resolved_by: str


class ScriptIn(Strict):
    hotline: Hotline
    stage: Stage
    language: Language = "zh"
    time_of_day: TimeOfDay = "any"
    title: Clean = Field(min_length=1, max_length=100)
    body: Clean = Field(min_length=1, max_length=2000)
    sort: StrictInt = Field(default=0, ge=0, le=100_000)


class ScriptPatch(Patch):
    hotline: Hotline | None = None
    stage: Stage | None = None
    language: Language | None = None
    time_of_day: TimeOfDay | None = None
    title: Clean | None = Field(default=None, min_length=1, max_length=100)
    body: Clean | None = Field(default=None, min_length=1, max_length=2000)
    sort: StrictInt | None = Field(default=None, ge=0, le=100_000)


class GuideChoice(Strict):
    label: Clean = Field(min_length=1, max_length=100)
    note: Clean = Field(default="", max_length=300)
    next: Clean = Field(min_length=1, max_length=40)


class GuideStep(Strict):
    id: Clean = Field(min_length=1, max_length=40)
    say: Clean = Field(default="", max_length=2000)
    extras: list[Annotated[Clean, Field(max_length=300)]] = Field(default_factory=list)
    choices: list[GuideChoice] = Field(default_factory=list)
    summary: Clean = Field(default="", max_length=200)
    priority: Literal[("", *PRIORITIES)] = ""  # type: ignore[valid-type]
    category: Clean = Field(default="", max_length=64)


class GuideIn(Strict):
    slug: Clean = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")
    hotline: Hotline
    language: Language = "zh"
    title: Clean = Field(min_length=1, max_length=200)
    keywords: list[Tag] = Field(default_factory=list, max_length=20)
    category: Clean = Field(default="", max_length=64)
    priority: Priority = "normal"
    summary: Clean = Field(default="", max_length=200)
    start: Clean = Field(min_length=1, max_length=40)
    steps: list[GuideStep] = Field(min_length=1, max_length=60)
    sort: StrictInt = Field(default=0, ge=0, le=100_000)


class Guide(BaseModel):
    id: int
    slug: str
    hotline: str
    language: str
    title: str
    keywords: list[str]
    category: str
    priority: str
    summary: str
    start: str
    steps: list[dict[str, Any]]
    sort: int
    updated_at: str
    updated_by: str


class HotlineOut(BaseModel):
    code: str
    kind: str
    name_zh: str
    name_en: str
    centre_zh: str
    centre_en: str


# -- the closed loop, field stations, agent state (issue 5) ---------------------------
AgentStateName = Literal["ready", "not_ready", "acw", "on_call"]


class AgentStateIn(Strict):
    """The agent's new state; `not_ready` needs a reason (break, training, meal ...).
    Leaving after-call work with a `wrap_up` code records it on `call_id`."""

    state: AgentStateName
    reason: Clean = Field(default="", max_length=40)
    call_id: BodyId | None = None
    wrap_up: Clean = Field(default="", max_length=40)


class AgentStateOut(BaseModel):
    agent_id: str
    name: str
    agent_no: str
    role: str
    hotline: str
    state: str  # ready, not_ready, acw, on_call, or offline (never reported)
    reason: str
    since: str | None
    call_id: int | None


class FollowUp(Ticket):
    overdue: bool
