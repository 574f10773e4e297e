"""A page of search hits (lookup and directory)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from agent_console.models.fields import as_object, objects

T = TypeVar("T")


@dataclass(frozen=True)
class SearchPage(Generic[T]):
    """Search hits, best first; `partial` when the backend stopped at its time budget."""

    items: tuple[T, ...]
    partial: bool = False

    @classmethod
    def from_json(cls, d: Any, item: Callable[[dict[str, Any]], T]) -> SearchPage[T]:
        page = as_object(d) or {}
        items = tuple(item(i) for i in objects(page.get("items", [])))
        return cls(items, bool(page.get("partial")))
