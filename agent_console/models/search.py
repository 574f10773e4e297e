"""A page of search hits (lookup and directory)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class SearchPage(Generic[T]):
    """Search hits, best first; `partial` when the backend stopped at its time budget."""

    items: tuple[T, ...]
    partial: bool = False

    @classmethod
    def from_json(cls, d: Any, item: Callable[[dict[str, Any]], T]) -> SearchPage[T]:
        raw = d.get("items", []) if isinstance(d, dict) else []
        items = tuple(item(i) for i in raw if isinstance(i, dict))
        return cls(items, bool(d.get("partial")) if isinstance(d, dict) else False)
