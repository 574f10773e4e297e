"""A supervisor's hand on a seat (issue 16): request and answer bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from agent_console.server.schemas.base import Clean, Strict


class SeatStateIn(Strict):
    """Ready, or not ready with a reason (break, training, meal, meeting ...)."""

    state: Literal["ready", "not_ready"]
    reason: Clean = Field(default="", max_length=40)


class SignOutIn(Strict):
    reason: Clean = Field(default="", max_length=200)


class FloorMessageIn(Strict):
    text: Clean = Field(min_length=1, max_length=200)


class FloorMessage(BaseModel):
    id: int
    text: str
    from_agent_no: str
    from_name: str
    sent_at: str
    read_at: str | None


class ReassignIn(Strict):
    """To an agent (`agent_id`: they own it and call back) or a field station
    (`station`: dispatched there), one of the two."""

    agent_id: Clean | None = Field(default=None, min_length=1, max_length=32)
    station: Clean | None = Field(default=None, min_length=1, max_length=32)
    reason: Clean = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _one_target(self) -> ReassignIn:
        if (self.agent_id is None) == (self.station is None):
            raise ValueError("give either agent_id or station")
        return self
