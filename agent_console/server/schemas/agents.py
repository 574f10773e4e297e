"""Signing in, agents and their roles and states, the audit log."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agent_console.server.fields import BodyId
from agent_console.server.schemas.base import Clean, Role, Strict


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
    team: str = ""  # the floor's team (the wallboard filters by it)


class LoginOut(BaseModel):
    token: str
    expires_at: str
    agent: Agent


class AuditEntry(BaseModel):
    id: int
    at: str
    agent_id: str | None
    action: str
    target: str
    detail: str


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
