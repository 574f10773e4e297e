"""The quality figures for supervisors (GET /quality), the review scorecard, and the
practice scenarios that train each scorecard item."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from agent_console.server.access import ADMIT
from agent_console.server.deps import StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.quality.report import MAX_DAYS, local_tz, quality_items
from agent_console.server.quality.scenarios import training
from agent_console.server.quality.scorecard import default_scorecard
from agent_console.server.quality.scorecard import item as scorecard_item
from agent_console.server.schemas.base import Items

router = APIRouter(tags=["quality"], dependencies=ADMIT)
default_scorecard()  # a bad scorecard file stops the server here, with file and line


def parse_day(text: str, name: str) -> date:
    """A YYYY-MM-DD query value, or 422 naming the field."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(
            422, "invalid", f"{name} must be a date as YYYY-MM-DD, not {text!r}", {name: "date"}
        ) from None


def day_range(first_text: str, last_text: str) -> tuple[date, date]:
    """`from`..`to` as dates: in order and at most MAX_DAYS long, or 422."""
    first, last = parse_day(first_text, "from"), parse_day(last_text, "to")
    if last < first:
        raise ApiError(422, "invalid", "to is before from", {"to": "before from"})
    if (last - first).days >= MAX_DAYS:
        raise ApiError(422, "invalid", f"at most {MAX_DAYS} days at once", {"to": "too far"})
    return first, last


@router.get("/quality", response_model=Items)
def quality(
    storage: StorageDep,
    first: Annotated[str, Query(alias="from", min_length=1, max_length=10)],
    last: Annotated[str, Query(alias="to", min_length=1, max_length=10)],
    by: Literal["day", "week"] = "day",
    group: Literal["agent", "team"] = "agent",
) -> dict[str, Any]:
    """Satisfaction, callbacks on time, repeat calls within 7 days (first-contact
    resolution), average handling and after-call time per agent or team, by local day
    or week (definitions: server/quality/figures.py)."""
    start, end = day_range(first, last)
    return {"items": quality_items(storage, start, end, by, group, local_tz())}


@router.get("/scorecard", response_model=Items)
def scorecard() -> dict[str, Any]:
    """The review scorecard: each item's id, label (en, zh), most points, and the
    practice skills that train it."""
    return {"items": [i.to_json() for i in default_scorecard()]}


@router.get("/scenarios/for-item/{item_id}", response_model=Items)
def scenarios_for_item(item_id: Annotated[str, Path(max_length=32)]) -> dict[str, Any]:
    """Practice scenarios that train a scorecard item (its `trains` skills in their
    rubric), the best fit first; `skills` says which of them each one has."""
    found = scorecard_item(item_id)
    if found is None:
        raise ApiError(404, "not_found", f"no scorecard item {item_id!r}")
    return {"items": [s.to_json(found.trains) for s in training(found.trains)]}
