"""Guided scripts: a procedure as steps, each with what to say and the answers that lead on.

A step without choices ends the guide; its `summary`, `priority` and `category` (when
given) shape the ticket the console pre-fills. Engine-independent checks, so that an
editor's mistake (a choice leading nowhere) is refused before it reaches a seat.
"""

from __future__ import annotations

from typing import Any

MAX_STEPS = 60
MAX_CHOICES = 9  # one digit key each


class GuideInvalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps with every optional field present, as stored and as the API returns them."""
    out: list[dict[str, Any]] = []
    for step in steps:
        out.append(
            {
                "id": str(step["id"]),
                "say": str(step.get("say", "")),
                "extras": [str(e) for e in step.get("extras", [])],
                "choices": [
                    {
                        "label": str(c["label"]),
                        "note": str(c.get("note", "")),
                        "next": str(c["next"]),
                    }
                    for c in step.get("choices", [])
                ],
                "summary": str(step.get("summary", "")),
                "priority": str(step.get("priority", "")),
                "category": str(step.get("category", "")),
            }
        )
    return out


def check_guide(start: str, steps: list[dict[str, Any]]) -> None:
    """Raise GuideInvalid unless every choice leads to a step and an end is reachable."""
    if not steps:
        raise GuideInvalid("steps", "a guide needs at least one step")
    if len(steps) > MAX_STEPS:
        raise GuideInvalid("steps", f"at most {MAX_STEPS} steps")
    ids = [s["id"] for s in steps]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise GuideInvalid("steps", f"step ids must be unique: {', '.join(dupes)}")
    known = set(ids)
    if start not in known:
        raise GuideInvalid("start", f"no step {start!r} to start from")
    for step in steps:
        if len(step["choices"]) > MAX_CHOICES:
            raise GuideInvalid("steps", f"step {step['id']!r}: at most {MAX_CHOICES} choices")
        for choice in step["choices"]:
            if choice["next"] not in known:
                raise GuideInvalid(
                    "steps", f"step {step['id']!r}: choice leads to unknown step {choice['next']!r}"
                )
    by_id = {s["id"]: s for s in steps}
    seen, todo = set[str](), [start]
    while todo:
        here = todo.pop()
        if here in seen:
            continue
        seen.add(here)
        if not by_id[here]["choices"]:
            return
        todo += [c["next"] for c in by_id[here]["choices"]]
    raise GuideInvalid("steps", "no end step (a step without choices) can be reached")
