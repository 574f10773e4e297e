"""One notion of time for the server: UTC, ISO 8601, second precision, sortable as text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return iso(now())


def in_hours(hours: float) -> str:
    return iso(now() + timedelta(hours=hours))
