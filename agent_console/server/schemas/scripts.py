"""Scripts, guided scripts and hotlines."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt

from agent_console.server.schemas.base import Clean, Patch, Priority, PriorityOrEmpty, Strict
from agent_console.server.schemas.knowledge import Hotline, Language, Tag


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


Stage = Literal["greeting", "verification", "hold", "transfer", "apology", "closing"]
TimeOfDay = Literal["any", "morning", "afternoon", "evening", "night"]


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
    choices: list[GuideChoice] = Field(default_factory=list[GuideChoice])
    summary: Clean = Field(default="", max_length=200)
    priority: PriorityOrEmpty = ""
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
