"""Timestamps from the backend (UTC, ISO 8601) shown in the seat's local time."""

from __future__ import annotations

from datetime import datetime


def local(ts: str, with_seconds: bool = False) -> str:
    """'2026-10-09T02:20:00Z' -> '2026-10-09 10:20' on a seat at UTC+8; unparsable stays."""
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return ts
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")
