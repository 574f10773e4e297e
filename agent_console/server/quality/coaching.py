"""An agent sent back to practice: who may write in the practice area, and linking a
practice result to the coaching assignment it answers."""

from __future__ import annotations

from typing import Any

#: Roles that always practise (trainees) or watch practice (mentors, supervisors).
PRACTICE_WRITERS = ("trainee", "mentor", "supervisor")


def has_open_coaching(storage: Any, agent_id: str, scenario_id: str | None = None) -> bool:
    """Whether the agent has a coaching assignment without a result (of that scenario)."""
    if scenario_id is not None:
        return storage.open_coaching(agent_id, scenario_id) is not None
    return any(c["result"] is None for c in storage.list_coaching(agent_id, 500))


def may_write_practice(storage: Any, agent: dict[str, Any]) -> bool:
    """Trainees and mentors always; an agent while a coaching assignment is open (their
    practice run of it writes practice tickets and SMS, never production ones)."""
    if agent["role"] in PRACTICE_WRITERS:
        return True
    return agent["role"] == "agent" and has_open_coaching(storage, str(agent["id"]))


def link_result(
    storage: Any, agent_id: str, scenario_id: str, result_id: int
) -> dict[str, Any] | None:
    """Link a stored practice result to the agent's oldest open assignment of that
    scenario; that assignment with its result, or None if there was none."""
    open_row = storage.open_coaching(agent_id, scenario_id)
    if open_row is None:
        return None
    storage.link_coaching_result(int(open_row["id"]), result_id)
    return storage.get_coaching(int(open_row["id"]))  # type: ignore[no-any-return]
