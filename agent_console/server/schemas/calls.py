"""A call's life: the simulated call, calls placed and answered, missed calls and
callbacks (docs: /work/notes/CALL_CONTRACT.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from agent_console.server.fields import BodyId
from agent_console.server.schemas.base import Clean, Strict

CallState = Literal["ringing", "answered", "ended", "missed"]
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # an INTEGER column's range


class CallOut(BaseModel):
    """A call: placed to an agent (by a PBX, the simulator) or by one (a callback)."""

    id: int
    agent_id: str
    number: str
    caller_id: int | None
    source: str
    started_at: str
    call_ref: str = ""
    direction: Literal["in", "out"] = "in"
    queue: str = ""
    state: CallState = "ringing"
    answered_by: str | None = None
    answered_at: str | None = None
    ended_at: str | None = None
    cause: str = ""
    hotline: str = ""
    reason: str = ""  # "callback": a callback attempt
    reached: bool | None = None  # outbound: did it reach the caller (None: not said yet)
    ticket_id: int | None = None


class MissedCall(BaseModel):
    call_id: int
    number_masked: str
    caller_id: int | None
    caller_name: str | None
    at: str
    ended_at: str | None
    cause: str
    queue: str
    call_ref: str
    rang_agents: list[str]
    called_back: bool


class CurrentCall(BaseModel):
    """The call the agent has now, told as `incoming_call` tells it, with its answer."""

    call_id: int
    number: str
    number_masked: str
    caller_id: int | None
    caller_name: str | None
    direction: Literal["in", "out"]
    call_ref: str
    queue: str
    at: str
    answered_at: str | None
    answered_seconds_ago: float | None = Field(
        default=None,
        description="how long ago the call was answered, by the server's clock: a "
        "console whose clock is off still shows the call's true length",
    )


class MyCall(BaseModel):
    call: CurrentCall | None


class MissedCalls(BaseModel):
    items: list[MissedCall]


class OutboundCallIn(Strict):
    """Call a caller back: a known caller (`caller_id`), or the number of a missed
    call (`call_id`, for a caller nobody knows yet)."""

    caller_id: RowId | None = None
    call_id: RowId | None = None
    reason: Literal["callback"] = "callback"
    ticket_id: RowId | None = None

    @model_validator(mode="after")
    def _someone(self) -> OutboundCallIn:
        if self.caller_id is None and self.call_id is None:
            raise ValueError("name the caller (caller_id) or the missed call (call_id)")
        return self


class CallResultIn(Strict):
    reached: bool = Field(description="whether the callback reached the caller")


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
