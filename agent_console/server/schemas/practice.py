"""Request and response shapes of the practice API (/api/v1/practice/...).

A result is what the console's practice engine sends after hang-up
(agent_console.practice.Debrief.to_json); the server never imports the console, so
the shape is repeated here and a test posts a real debrief to keep the two in step.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, model_validator

from agent_console.server.fields import BodyId
from agent_console.server.schemas.base import Clean, Strict

ScenarioId = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
Why = Literal["", "not_done", "too_late", "out_of_order", "forbidden_done"]
Seconds = Field(default=None, ge=0, le=86400)


class ResultItemIn(Strict):
    id: Clean = Field(min_length=1, max_length=64)
    label: Clean = Field(default="", max_length=200)
    skill: Clean = Field(default="", max_length=32)
    weight: StrictInt = Field(ge=0, le=100)
    met: bool
    at_s: StrictFloat | None = Seconds
    took_s: StrictFloat | None = Seconds
    why: Why = ""


class TimelineIn(Strict):
    at: StrictFloat = Field(ge=0, le=86400)
    kind: Clean = Field(min_length=1, max_length=32)
    detail: Clean = Field(default="", max_length=500)


class ResultIn(Strict):
    scenario_id: Clean = ScenarioId
    title: Clean = Field(default="", max_length=200)
    hotline: Clean = Field(default="", max_length=16)
    difficulty: StrictInt = Field(default=1, ge=1, le=5)
    drill_id: Clean = Field(default="", max_length=64)
    score: StrictInt = Field(ge=0, le=100)
    duration_s: StrictFloat = Field(ge=0, le=86400)
    par_s: StrictFloat = Field(default=0, ge=0, le=86400)
    keystrokes: StrictInt = Field(default=0, ge=0, le=1_000_000)
    fastest_keystrokes: StrictInt = Field(default=0, ge=0, le=1_000_000)
    hints: StrictInt = Field(default=0, ge=0, le=10_000)
    mentor_hints: StrictInt = Field(default=0, ge=0, le=10_000)
    hands: StrictInt = Field(default=0, ge=0, le=10_000)
    items: list[ResultItemIn] = Field(default_factory=list[ResultItemIn], max_length=100)
    timeline: list[TimelineIn] = Field(default_factory=list[TimelineIn], max_length=5000)

    @model_validator(mode="after")
    def _unique_items(self) -> ResultIn:
        ids = [i.id for i in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError("each rubric item id may appear once")
        return self


class ResultItem(BaseModel):
    id: str
    label: str
    skill: str
    weight: int
    met: bool
    at_s: float | None
    took_s: float | None
    why: str


class Result(BaseModel):
    id: int
    trainee_id: str
    trainee_name: str
    scenario_id: str
    title: str
    hotline: str
    difficulty: int
    drill_id: str
    score: int
    duration_s: float
    par_s: float
    keystrokes: int
    fastest_keystrokes: int
    hints: int
    mentor_hints: int
    hands: int
    created_at: str
    items: list[ResultItem]
    timeline: list[dict[str, Any]] | None = None  # only on GET /practice/results/{id}


class HandIn(Strict):
    scenario_id: Clean = Field(default="", max_length=64)
    step: Clean = Field(default="", max_length=64)
    note: Clean = Field(default="", max_length=300)


class HandPatch(Strict):
    status: Literal["taken", "answered", "lowered"]


class Hand(BaseModel):
    id: int
    trainee_id: str
    trainee_name: str
    scenario_id: str
    step: str
    note: str
    status: str
    mentor_id: str | None
    raised_at: str
    updated_at: str


class HintIn(Strict):
    trainee_id: Clean = Field(min_length=1, max_length=32)
    text: Clean = Field(min_length=1, max_length=500)
    hand_id: BodyId | None = None
    canned: Clean = Field(default="", max_length=64)  # a scenario hint id, when picked


class HintPatch(Strict):
    seen: Literal[True]


class Hint(BaseModel):
    id: int
    trainee_id: str
    mentor_id: str
    mentor_name: str
    hand_id: int | None
    text: str
    canned: str
    created_at: str
    seen_at: str | None


class ActivityIn(Strict):
    scenario_id: Clean = Field(default="", max_length=64)
    title: Clean = Field(default="", max_length=200)
    step: Clean = Field(default="", max_length=64)


class Activity(BaseModel):
    trainee_id: str
    trainee_name: str
    scenario_id: str
    title: str
    step: str
    updated_at: str | None
    hand_id: int | None
