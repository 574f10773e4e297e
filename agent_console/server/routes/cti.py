"""The phone system's door: Zammad's generic CTI push API at `POST /api/v1/cti/{token}`.

roles: none. A PBX has no agent's sign-in; the secret token in the path is its
credential (`agent-console serve --cti-token`, or AGENT_CONSOLE_CTI_TOKEN). It is
compared in constant time, and a wrong token (or none configured) gets exactly the
404 an unknown path gets: nothing tells a prober that the door exists.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from agent_console.server.access import ADMIT
from agent_console.server.cti import MAX_BODY, CtiInvalid, body_pairs, handle, parse
from agent_console.server.deps import BusDep, SettingsDep, StorageDep
from agent_console.server.errors import ApiError

router = APIRouter(tags=["cti"], dependencies=ADMIT)


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; no token configured matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


async def _body(request: Request) -> bytes:
    """The body, read no further than the limit."""
    chunks, size = list[bytes](), 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise CtiInvalid("the body is too large", 413)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/cti/{token}", response_model=dict[str, Any])
async def cti_event(
    token: str, request: Request, storage: StorageDep, bus: BusDep, settings: SettingsDep
) -> dict[str, Any]:
    """One CTI event (newCall, answer, hangup), form-encoded or JSON; answers `{}`.

    roles: none (the PBX's token in the path). Repeated events change nothing; an
    answer or hangup for an unknown callId is answered `{}` (and logged)."""
    if not token_matches(token, settings.cti_token):
        raise ApiError(404, "not_found", "Not Found")
    try:
        pairs = body_pairs(request.headers.get("content-type", ""), await _body(request))
        event = parse(pairs)
    except CtiInvalid as exc:
        code = {400: "bad_request", 413: "too_large"}.get(exc.status, "invalid")
        raise ApiError(exc.status, code, str(exc)) from None
    return await run_in_threadpool(handle, storage, bus, event)
