"""The wallboard: every call-taking agent's state and today's figures, the queue,
raised hands and overdue callbacks by station (server/board.py counts them).

roles: supervisor, wall (a wall screen's own sign-in). Live updates come as `board`
events on GET /events (server/board_feed.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from agent_console.server import board
from agent_console.server.access import ADMIT
from agent_console.server.clock import now
from agent_console.server.deps import SettingsDep, StorageDep
from agent_console.server.schemas.board import BoardState, Wallboard

router = APIRouter(tags=["wallboard"], dependencies=ADMIT)

Filter = Annotated[str | None, Query(max_length=64)]


@router.get("/wallboard", response_model=Wallboard)
def wallboard(
    storage: StorageDep,
    settings: SettingsDep,
    hotline: Filter = None,
    team: Filter = None,
    state: BoardState | None = None,
) -> dict[str, Any]:
    """The whole board at the server's now; `hotline`, `team` and `state` narrow the
    agents (the queue, hands and callbacks are the centre's)."""
    filters = {"hotline": hotline, "team": team, "state": state}
    return board.document(storage, now(), settings.service_level_s, filters=filters)
