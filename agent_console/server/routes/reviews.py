"""Review samples of closed tickets scored on the scorecard, and coaching: a practice
scenario a supervisor assigns from a weak item, whose result comes back beside it.

Supervisors sample, score and assign; everyone else reads only their own reviews and
coaching (an agent finds the assigned scenarios in the practice menu)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from agent_console.server.access import ADMIT, SUPERVISOR
from agent_console.server.clock import now_iso
from agent_console.server.deps import AgentDep, BusDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import for_agent
from agent_console.server.fields import Id
from agent_console.server.quality.report import iso_utc, local_tz
from agent_console.server.quality.sampling import draw
from agent_console.server.quality.scenarios import shipped, training
from agent_console.server.quality.scorecard import default_scorecard
from agent_console.server.quality.scorecard import item as scorecard_item
from agent_console.server.routes.quality import day_range
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.quality import CoachingIn, SampleIn, ScoresIn

router = APIRouter(tags=["quality"], dependencies=ADMIT)
Agent = dict[str, Any]
Limit = Annotated[int, Query(ge=1, le=500)]
AgentFilter = Annotated[str | None, Query(max_length=32)]


def _whose(agent: Agent, wanted: str | None) -> str | None:
    """Whose reviews or coaching this request reads: a supervisor anyone's (None: all),
    everyone else only their own."""
    if agent["role"] == SUPERVISOR:
        return wanted
    if wanted is not None and wanted != agent["id"]:
        raise ApiError(403, "own_only", "you see only your own reviews and coaching")
    return str(agent["id"])


def _supervisor(agent: Agent, what: str) -> None:
    if agent["role"] != SUPERVISOR:
        raise ApiError(403, "supervisors_only", f"only supervisors {what}")


@router.post("/reviews/sample", response_model=Items, status_code=201)
def sample(body: SampleIn, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Draw `per_agent` closed tickets per agent, closed on the local days from..to, that
    were never sampled before; `seed` makes the draw reproducible. The new reviews."""
    _supervisor(agent, "draw review samples")
    first, last = day_range(body.from_, body.to)
    tz = local_tz()
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    picks = draw(storage.sample_candidates(iso_utc(start), iso_utc(end)), body.per_agent, body.seed)
    items = storage.add_reviews(picks, agent["id"], now_iso())
    detail = f"{len(items)} tickets closed {first}..{last}, {body.per_agent} per agent"
    storage.audit(agent["id"], "review_sample", "", detail)
    return {"items": items}


@router.get("/reviews", response_model=Items)
def list_reviews(
    agent: AgentDep,
    storage: StorageDep,
    agent_id: AgentFilter = None,
    status: Literal["open", "scored"] | None = None,
    limit: Limit = 200,
) -> dict[str, Any]:
    """Reviews newest first, each with its ticket, scores and coaching: a supervisor's
    (all, or one agent's), anyone else's own."""
    return {"items": storage.list_reviews(_whose(agent, agent_id), status, limit)}


def _review(storage: Any, review_id: int, agent: Agent) -> dict[str, Any]:
    review = storage.get_review(review_id)
    if review is None or (agent["role"] != SUPERVISOR and review["agent_id"] != agent["id"]):
        raise ApiError(404, "not_found", f"no review {review_id}")
    return review  # type: ignore[no-any-return]


@router.get("/reviews/{review_id}")
def get_review(review_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """One review (an agent's own only)."""
    return _review(storage, review_id, agent)


@router.put("/reviews/{review_id}")
def score_review(
    review_id: Id, body: ScoresIn, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """Score the review: points 0..max per scorecard item, and a comment."""
    _supervisor(agent, "score reviews")
    _review(storage, review_id, agent)
    card = {i.id: i for i in default_scorecard()}
    problems = {
        k: (f"0..{card[k].max}" if k in card else "not a scorecard item")
        for k, v in body.scores.items()
        if k not in card or not 0 <= v <= card[k].max
    }
    if problems:
        raise ApiError(422, "invalid", "scores must be 0..max per scorecard item", problems)
    scored = storage.score_review(review_id, body.scores, body.comment, agent["id"], now_iso())
    if scored is None:
        raise ApiError(404, "not_found", f"no review {review_id}")
    storage.audit(agent["id"], "review_score", f"review:{review_id}", json.dumps(body.scores))
    return scored  # type: ignore[no-any-return]


@router.post("/coaching", status_code=201)
def assign_coaching(
    body: CoachingIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Assign the review's agent a practice scenario that trains a scorecard item; the
    agent's console hears `coaching_assigned` (the assignment) on the event stream."""
    _supervisor(agent, "assign coaching")
    review = _review(storage, body.review_id, agent)
    found = scorecard_item(body.item)
    if found is None:
        raise ApiError(422, "invalid", f"no scorecard item {body.item!r}", {"item": "unknown"})
    scenario = shipped().get(body.scenario_id)
    if scenario is None or scenario not in training(found.trains):
        raise ApiError(
            422,
            "invalid",
            f"scenario {body.scenario_id!r} does not train {body.item!r}"
            f" (GET /scenarios/for-item/{body.item})",
            {"scenario_id": "does not train the item"},
        )
    coaching = storage.add_coaching(
        {
            "review_id": review["id"],
            "agent_id": review["agent_id"],
            "item": found.id,
            "scenario_id": scenario.id,
            "scenario_title": scenario.title_en,
            "assigned_by": agent["id"],
            "assigned_at": now_iso(),
        }
    )
    target = f"agent:{review['agent_id']}"
    storage.audit(agent["id"], "coaching_assign", target, f"{found.id} -> {scenario.id}")
    bus.publish("coaching_assigned", coaching, for_agent(str(review["agent_id"])))
    return coaching  # type: ignore[no-any-return]


@router.get("/coaching", response_model=Items)
def list_coaching(
    agent: AgentDep, storage: StorageDep, agent_id: AgentFilter = None, limit: Limit = 200
) -> dict[str, Any]:
    """Coaching newest first with the practice result once run: a supervisor's (all, or
    one agent's), anyone else's own (the practice menu lists these first)."""
    return {"items": storage.list_coaching(_whose(agent, agent_id), limit)}
