"""Recent queries of a search box, recalled like a shell's history (no Textual).

Kept in memory only: lookup queries are phone numbers, names and addresses of
callers, which have no business in a file on the seat's disk.
"""

from __future__ import annotations


class QueryHistory:
    """The last `size` settled queries, newest first, each once.

    `older()` / `newer()` walk through them; the text being typed when the walk
    began comes back after the newest, so recalling never loses a query.
    """

    def __init__(self, size: int = 20) -> None:
        self.size = size
        self.items: list[str] = []  # newest first
        self._pos = -1  # -1: not walking; else an index into items
        self._draft = ""

    def add(self, query: str) -> None:
        query = query.strip()
        self.reset()
        if not query or self.size <= 0:
            return
        if query in self.items:
            self.items.remove(query)
        self.items.insert(0, query)
        del self.items[self.size :]

    def older(self, current: str) -> str | None:
        """The query before the one shown, or None at the oldest."""
        if self._pos + 1 >= len(self.items):
            return None
        if self._pos == -1:
            self._draft = current
        self._pos += 1
        # Skip an entry equal to what is in the box already (the newest, usually).
        if self.items[self._pos] == current.strip() and self._pos + 1 < len(self.items):
            self._pos += 1
        return self.items[self._pos]

    def newer(self) -> str | None:
        """The query after the one shown; past the newest, what was being typed."""
        if self._pos == -1:
            return None
        self._pos -= 1
        return self._draft if self._pos == -1 else self.items[self._pos]

    @property
    def walking(self) -> bool:
        return self._pos != -1

    def reset(self) -> None:
        """The agent typed: the next `older()` starts from the newest again."""
        self._pos = -1
        self._draft = ""
