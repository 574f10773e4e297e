"""Type-to-filter over the ticket category tree, without Textual.

The tree is flattened to one entry per node, "供热 › 跑水漏水 › 户内跑水". A query
matches Chinese substrings of the path, English names, pinyin initials of a node
("hnps" finds 户内跑水) and the id; several words must all match. Leaves whose own
name matches come first, so two characters and Enter pick the usual category.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_console.models import Category

SEP = " › "


@dataclass(frozen=True)
class CategoryEntry:
    id: str
    path: tuple[str, ...]  # Chinese names, root first
    path_en: tuple[str, ...]
    initials: tuple[str, ...]
    priority_default: str = "normal"
    leaf: bool = True

    @property
    def label(self) -> str:
        return SEP.join(self.path)

    @property
    def label_en(self) -> str:
        return SEP.join(self.path_en)


def flatten(roots: list[Category] | tuple[Category, ...]) -> list[CategoryEntry]:
    out: list[CategoryEntry] = []

    def walk(
        node: Category, path: tuple[str, ...], en: tuple[str, ...], ini: tuple[str, ...]
    ) -> None:
        here = (*path, node.name)
        here_en = (*en, node.name_en or node.name)
        here_ini = (*ini, node.initials)
        out.append(
            CategoryEntry(
                node.id, here, here_en, here_ini, node.priority_default, not node.children
            )
        )
        for child in node.children:
            walk(child, here, here_en, here_ini)

    for root in roots:
        walk(root, (), (), ())
    return out


def _word_score(entry: CategoryEntry, word: str) -> int | None:
    """How well one word matches (lower is better), or None when it does not."""
    name, name_en, initials = entry.path[-1], entry.path_en[-1].lower(), entry.initials[-1]
    if word in name or name_en.startswith(word) or (initials and initials.startswith(word)):
        return 0
    if word in name_en or (initials and word in initials):
        return 1
    if any(word in p for p in entry.path) or word in entry.label_en.lower():
        return 2
    if any(i.startswith(word) for i in entry.initials if i) or word in "".join(entry.initials):
        return 3
    if word in entry.id.lower():
        return 4
    return None


def filter_categories(entries: list[CategoryEntry], query: str) -> list[CategoryEntry]:
    """Entries matching every word of `query`, best first; all of them for no query."""
    words = query.lower().split()
    if not words:
        return list(entries)
    scored: list[tuple[int, int, int, CategoryEntry]] = []
    for order, entry in enumerate(entries):
        scores = [_word_score(entry, w) for w in words]
        if any(s is None for s in scores):
            continue
        total = sum(s for s in scores if s is not None)
        scored.append((total, 0 if entry.leaf else 1, order, entry))
    scored.sort(key=lambda t: t[:3])
    return [t[3] for t in scored]
