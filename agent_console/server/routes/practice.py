"""Practice mode: results, progress and comparisons, raised hands, mentor hints.

Who sees what: a trainee sees and writes only their own; mentors and supervisors see
everyone's and send hints; agents have no practice data (403), except that an agent
records the result of a scenario a supervisor assigned them (coaching, issue 16).
Practice tickets and SMS are not here: they live in tickets/sms with area = 'practice'
and never appear in production lists.

Live delivery over the events stream (GET /events): a raised hand goes to mentors and
supervisors as `hand_raised` (a hand taken, answered or lowered as `hand_changed`, to
them and its trainee), a hint to its trainee as `practice_hint`, a trainee's new step
to mentors as `practice_activity`. Each payload is the row the request returns. A
console that was offline catches up with GET /practice/hints?unseen=true.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from agent_console.server import practice_stats
from agent_console.server.access import ADMIT
from agent_console.server.deps import AgentDep, BusDep, StorageDep
from agent_console.server.errors import ApiError
from agent_console.server.event_bus import EventBus, for_agent, for_role
from agent_console.server.fields import MAX_ID, Id
from agent_console.server.quality.coaching import has_open_coaching, link_result
from agent_console.server.schemas.base import Items
from agent_console.server.schemas.practice import (
    Activity,
    ActivityIn,
    Hand,
    HandIn,
    HandPatch,
    Hint,
    HintIn,
    HintPatch,
    Result,
    ResultIn,
)

router = APIRouter(prefix="/practice", tags=["practice"], dependencies=ADMIT)

MENTORS = ("mentor", "supervisor")
MENTOR_TAGS = tuple(for_role(role) for role in MENTORS)
Agent = dict[str, Any]


def _is_mentor(agent: Agent) -> bool:
    return agent["role"] in MENTORS


def _trainee_only(agent: Agent, what: str) -> None:
    if agent["role"] != "trainee":
        raise ApiError(403, "trainees_only", f"only trainees {what}")


def _mentor_only(agent: Agent, what: str) -> None:
    if not _is_mentor(agent):
        raise ApiError(403, "mentors_only", f"only mentors and supervisors {what}")


def _whose(agent: Agent, trainee: str | None) -> str | None:
    """The trainee whose data this request may read (None: everyone's, for mentors)."""
    if _is_mentor(agent):
        return trainee
    if agent["role"] != "trainee":
        raise ApiError(403, "no_practice", "agents have no practice data; ask a mentor")
    if trainee is not None and trainee != agent["id"]:
        raise ApiError(403, "own_only", "trainees see only their own practice")
    return agent["id"]


# -- results ------------------------------------------------------------------------
@router.post("/results", response_model=Result, status_code=201)
def add_result(body: ResultIn, agent: AgentDep, storage: StorageDep, bus: BusDep) -> dict[str, Any]:
    """Store the debrief of one practice call for the signed-in trainee, or for an
    agent running a scenario a supervisor assigned them (coaching); a run of an
    assigned scenario is linked to that assignment (GET /coaching shows the result),
    and `coaching_result` (the assignment with its result) goes to supervisors and
    the agent."""
    if agent["role"] != "trainee" and not (
        agent["role"] == "agent" and has_open_coaching(storage, agent["id"], body.scenario_id)
    ):
        raise ApiError(
            403,
            "not_assigned",
            "only trainees, and agents running a scenario assigned to them, record results",
        )
    result = storage.add_practice_result(agent["id"], body.model_dump())
    linked = link_result(storage, agent["id"], body.scenario_id, int(result["id"]))
    if linked is not None:
        bus.publish("coaching_result", linked, (for_role("supervisor"), for_agent(agent["id"])))
    return result  # type: ignore[no-any-return]


@router.get("/results", response_model=Items)
def list_results(
    agent: AgentDep,
    storage: StorageDep,
    trainee: str | None = None,
    scenario: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Results newest first, each with its rubric items: a trainee's own; a mentor's
    pick (`trainee`) or everyone's."""
    return {"items": storage.list_practice_results(_whose(agent, trainee), scenario, limit)}


@router.get("/results/{result_id}", response_model=Result)
def get_result(result_id: Id, agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """One result with its timeline, for the debrief and the mentor's review."""
    result = storage.get_practice_result(result_id)
    if result is None:
        _whose(agent, None)
        raise ApiError(404, "not_found", f"no practice result {result_id}")
    _whose(agent, result["trainee_id"])
    return result


@router.get("/progress")
def get_progress(
    agent: AgentDep,
    storage: StorageDep,
    trainee: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """A trainee's scores, trend, and where they lose time (per rubric item and skill)."""
    whose = _whose(agent, trainee)
    if whose is None:
        raise ApiError(422, "invalid", "say whose progress: ?trainee=", {"trainee": "required"})
    results = storage.list_practice_results(whose, None, limit)
    return {"trainee_id": whose, **practice_stats.progress(results)}


@router.get("/compare", response_model=Items)
def compare(
    agent: AgentDep,
    storage: StorageDep,
    trainees: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Trainees side by side (all of them, or `trainees=2001,2002`), for mentors."""
    _mentor_only(agent, "compare trainees")
    everyone = storage.list_trainees()
    if trainees:
        wanted = [t.strip() for t in trainees.split(",") if t.strip()]
        unknown = sorted(set(wanted) - {t["id"] for t in everyone})
        if unknown:
            raise ApiError(422, "invalid", f"no trainee {unknown[0]}", {"trainees": "unknown"})
        everyone = [t for t in everyone if t["id"] in wanted]
    results = {t["id"]: storage.list_practice_results(t["id"], None, limit) for t in everyone}
    return {"items": practice_stats.compare(everyone, results)}


# -- raised hands -------------------------------------------------------------------
@router.post("/hands", response_model=Hand, status_code=201)
def raise_hand(
    body: HandIn, response: Response, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """Raise the trainee's hand with the scenario and step; raising it again while it is
    up updates the step (200) instead of queueing a second hand. Mentors hear it live."""
    _trainee_only(agent, "raise a hand")
    hand, created = storage.raise_hand(agent["id"], body.model_dump())
    if not created:
        response.status_code = 200
    bus.publish("hand_raised", _wire(Hand, hand), MENTOR_TAGS)
    return hand


def _wire(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """A row as its response model sends it (the same JSON the request returns)."""
    return model.model_validate(row).model_dump(mode="json")


def _hand_changed(bus: EventBus, hand: dict[str, Any]) -> None:
    tags = (*MENTOR_TAGS, for_agent(str(hand["trainee_id"])))
    bus.publish("hand_changed", _wire(Hand, hand), tags)


@router.get("/hands", response_model=Items)
def list_hands(
    agent: AgentDep,
    storage: StorageDep,
    open_only: Annotated[bool, Query(alias="open")] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Hands up, first raised first (mentors: everyone's; a trainee: their own);
    `open=false` for all hands, newest first."""
    return {"items": storage.list_hands(_whose(agent, None), open_only, limit)}


def _change_hand(
    hand_id: int, status: str, agent: Agent, storage: Any, bus: EventBus
) -> dict[str, Any]:
    hand = storage.get_hand(hand_id)
    if hand is None:
        _whose(agent, None)
        raise ApiError(404, "not_found", f"no raised hand {hand_id}")
    if _is_mentor(agent):
        changed = storage.update_hand(hand_id, status, agent["id"])
    else:
        _whose(agent, hand["trainee_id"])
        if status != "lowered":
            raise ApiError(403, "mentors_only", "a trainee can only lower their hand")
        changed = storage.update_hand(hand_id, status, None)
    _hand_changed(bus, changed)
    return changed


@router.patch("/hands/{hand_id}", response_model=Hand)
def update_hand(
    hand_id: Id, body: HandPatch, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """A mentor takes a hand ("I'm coming"), answers or lowers it; a trainee lowers
    their own. A hand already answered or lowered: 409."""
    return _change_hand(hand_id, body.status, agent, storage, bus)


@router.delete("/hands/{hand_id}", status_code=204)
def lower_hand(hand_id: Id, agent: AgentDep, storage: StorageDep, bus: BusDep) -> None:
    """Lower a hand (the trainee's own, or any for a mentor)."""
    _change_hand(hand_id, "lowered", agent, storage, bus)


# -- mentor hints -------------------------------------------------------------------
@router.post("/hints", response_model=Hint, status_code=201)
def send_hint(body: HintIn, agent: AgentDep, storage: StorageDep, bus: BusDep) -> dict[str, Any]:
    """A mentor's hint to a trainee, pushed to their console at once; with `hand_id` it
    answers that raised hand."""
    _mentor_only(agent, "send hints")
    hint = storage.add_practice_hint(agent["id"], body.model_dump())
    bus.publish("practice_hint", _wire(Hint, hint), for_agent(str(hint["trainee_id"])))
    if hint.get("hand_id") is not None:
        hand = storage.get_hand(hint["hand_id"])
        if hand is not None:
            _hand_changed(bus, hand)
    return hint


@router.get("/hints", response_model=Items)
def list_hints(
    agent: AgentDep,
    storage: StorageDep,
    trainee: str | None = None,
    unseen: bool = False,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Hints in the order sent: a trainee's own (`unseen=true` for the new ones, `after`
    the last id they have); a mentor's pick of trainee, or all."""
    return {"items": storage.list_practice_hints(_whose(agent, trainee), unseen, after, limit)}


@router.patch("/hints/{hint_id}", response_model=Hint)
def mark_hint_seen(
    hint_id: Id, body: HintPatch, agent: AgentDep, storage: StorageDep
) -> dict[str, Any]:
    """The trainee saw the hint (idempotent)."""
    _trainee_only(agent, "mark their hints as seen")
    hint = storage.get_practice_hint(hint_id)
    if hint is None:
        raise ApiError(404, "not_found", f"no hint {hint_id}")
    _whose(agent, hint["trainee_id"])
    return storage.mark_hint_seen(hint_id)


# -- what each trainee is doing -----------------------------------------------------
@router.put("/activity", response_model=Activity)
def set_activity(
    body: ActivityIn, agent: AgentDep, storage: StorageDep, bus: BusDep
) -> dict[str, Any]:
    """The trainee's current scenario and step, for the mentor's room view (live)."""
    _trainee_only(agent, "report practice activity")
    activity = storage.set_practice_activity(agent["id"], body.model_dump())
    bus.publish("practice_activity", _wire(Activity, activity), MENTOR_TAGS)
    return activity


@router.get("/activity", response_model=Items)
def list_activity(agent: AgentDep, storage: StorageDep) -> dict[str, Any]:
    """Every trainee: current scenario, step, when, and their open hand if any."""
    _mentor_only(agent, "watch the room")
    return {"items": storage.list_practice_activity()}
