"""Health, sign-in and sign-out."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from agent_console import __version__
from agent_console.server import security
from agent_console.server.access import ADMIT
from agent_console.server.client_address import client_address
from agent_console.server.clock import in_hours, iso, now, now_iso
from agent_console.server.deps import AgentDep, BusDep, SettingsDep, StorageDep
from agent_console.server.errors import UNAVAILABLE, ApiError, retry_after
from agent_console.server.schemas.agents import Agent, LoginIn, LoginOut
from agent_console.server.throttle import Once, parse_iso

router = APIRouter(dependencies=ADMIT)


@router.get(
    "/health",
    tags=["session"],
    responses={503: {"description": "the server answers but its database does not"}},
)
async def health(request: Request) -> Any:
    """No auth; answers within a second whatever the database does. 200 with
    `database: "ok"` when the database answers, else 503 with `database:
    "unreachable"` (and the usual error body, Retry-After): a load balancer's health
    check takes the server out, and the console shows the backend as unreachable."""
    body: dict[str, Any] = {"status": "ok", "version": __version__, "time": now_iso()}
    if await request.app.state.probe.reachable():
        return {**body, "database": "ok"}
    return JSONResponse(
        {**body, "status": "unavailable", "database": "unreachable", "error": UNAVAILABLE},
        status_code=503,
        headers=retry_after(),
    )


_THROTTLED = Once()


@router.post("/auth/login", response_model=LoginOut, tags=["session"])
def login(
    body: LoginIn, request: Request, storage: StorageDep, settings: SettingsDep, bus: BusDep
) -> dict[str, Any]:
    """A token for one shift. Five passwords checked for one agent number from one
    address in 15 minutes, or 30 failures from one address: 429 with Retry-After (the
    password is not even checked until then)."""
    throttle = settings.login_throttle
    address = client_address(request, settings.trusted_proxies)
    moment = now()
    slot = storage.reserve_login(
        body.agent_id,
        address,
        iso(throttle.since(moment)),
        throttle.limit,
        throttle.per_address,
        iso(moment - throttle.keep),
    )
    if slot.attempt_id is None:
        seat = slot.blocked_by == "seat"
        limit = throttle.limit if seat else throttle.per_address
        wait = throttle.retry_after([parse_iso(t) for t in slot.recent], moment, limit) or 1
        if _THROTTLED.first((body.agent_id if seat else "", address), wait):
            storage.audit(None, "login_throttled", body.agent_id if seat else "", f"from {address}")
        minutes = math.ceil(wait / 60)
        whom = f"for {body.agent_id}" if seat else "from this address"
        raise ApiError(
            429,
            "too_many_attempts",
            f"too many failed sign-ins {whom}; try again in {minutes} min",
            headers={"Retry-After": str(wait)},
        )
    stored = storage.agent_password_hash(body.agent_id)
    ok = security.verify_password(body.password, stored or security.DUMMY_HASH)
    if not (ok and stored):
        storage.finish_login(slot.attempt_id, "failed" if stored else "unknown")
        raise ApiError(401, "bad_credentials", "agent number or password is wrong")
    storage.finish_login(slot.attempt_id, "ok")
    token = security.new_token()
    expires_at = in_hours(settings.token_ttl_hours)
    storage.create_session(security.token_hash(token), body.agent_id, expires_at)
    storage.audit(body.agent_id, "login", body.agent_id, "")
    agent = storage.get_agent(body.agent_id)
    bus.changed([body.agent_id])  # no longer signed out on the wallboard
    return {"token": token, "expires_at": expires_at, "agent": agent}


@router.post("/auth/logout", status_code=204, tags=["session"])
def logout(request: Request, agent: AgentDep, storage: StorageDep, bus: BusDep) -> None:
    """Revoke the token used for this request."""
    hashed = security.token_hash(request.state.token)
    storage.revoke_session(hashed, now_iso())
    bus.revoke_sessions(token_hash=hashed)  # every process, before the answer
    storage.audit(agent["id"], "logout", agent["id"], "")
    bus.changed([str(agent["id"])])


@router.get("/auth/me", response_model=Agent, tags=["session"])
async def me(agent: AgentDep) -> dict[str, Any]:
    return agent
