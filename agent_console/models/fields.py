"""Reading fields from cleaned JSON: a missing or null field takes the default."""

from __future__ import annotations

from typing import Any, cast


def as_str(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return default if value is None else str(value)


def as_int(data: dict[str, Any], key: str, default: int = 0) -> int:
    try:
        return int(data.get(key, default))
    except (TypeError, ValueError):
        return default


def as_float(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


def as_object(value: object) -> dict[str, Any] | None:
    """A JSON object seen as one (its keys are strings), else None."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def objects(value: object) -> list[dict[str, Any]]:
    """The JSON objects in a JSON list (anything else in it, or a non-list, is skipped)."""
    if not isinstance(value, (list, tuple)):
        return []
    return [cast("dict[str, Any]", v) for v in cast("list[object]", value) if isinstance(v, dict)]
