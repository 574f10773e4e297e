"""Request shapes of the quality loop: a review sample, a review's scores, coaching."""

from __future__ import annotations

from pydantic import Field, StrictInt

from agent_console.server.fields import BodyId
from agent_console.server.schemas.base import Clean, Strict

DateField = Field(min_length=10, max_length=10)


class SampleIn(Strict):
    per_agent: StrictInt = Field(default=3, ge=1, le=50)
    from_: Clean = Field(alias="from", min_length=1, max_length=10)
    to: Clean = Field(min_length=1, max_length=10)
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63 - 1)


class ScoresIn(Strict):
    scores: dict[str, StrictInt] = Field(max_length=50)
    comment: Clean = Field(default="", max_length=2000)


class CoachingIn(Strict):
    review_id: BodyId
    item: Clean = Field(min_length=1, max_length=32)
    scenario_id: Clean = Field(min_length=1, max_length=64)
